package kioskwidget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestCardLayout(t *testing.T) {
	newTestApp(t)
	th := theme.DefaultTheme()
	p := th.Size(theme.SizeNamePadding)
	title := fyne.MeasureText("行政处罚：未按期申报纳税", th.Size(theme.SizeNameHeadingText), fyne.TextStyle{})
	tests := []struct {
		name    string
		title   string
		content bool
		min     func(content fyne.Size) fyne.Size
		top     float32 // content's y
	}{
		{"title and content", "行政处罚：未按期申报纳税", true, func(c fyne.Size) fyne.Size {
			return fyne.NewSize(fyne.Max(title.Width+5*p, c.Width+3*p), 7*p+title.Height+c.Height)
		}, 5.5*p + title.Height},
		{"content only", "", true, func(c fyne.Size) fyne.Size { return fyne.NewSize(c.Width+3*p, 3*p+c.Height) }, 1.5 * p},
		{"title only", "行政处罚：未按期申报纳税", false, func(fyne.Size) fyne.Size {
			return fyne.NewSize(title.Width+5*p, 5*p+title.Height)
		}, 0},
		{"empty", "", false, func(fyne.Size) fyne.Size { return fyne.NewSize(p, p) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var content fyne.CanvasObject
			var cmin fyne.Size
			if tt.content {
				l := widget.NewLabel("处罚决定书文号：兰税罚〔2025〕88号")
				content, cmin = l, l.MinSize()
			}
			c := NewCard(tt.title, content)
			if got, want := c.MinSize(), tt.min(cmin); got != want {
				t.Errorf("min size %v, want %v", got, want)
			}
			c.Resize(fyne.NewSize(600, 300))
			r := test.WidgetRenderer(c).(*cardRenderer)
			if r.title.Visible() != (tt.title != "") || r.title.TextStyle != (fyne.TextStyle{}) || r.title.TextSize != th.Size(theme.SizeNameHeadingText) {
				t.Errorf("title shown %v, style %+v, size %v", r.title.Visible(), r.title.TextStyle, r.title.TextSize)
			}
			if content != nil {
				if got, want := content.Position(), fyne.NewPos(1.5*p, tt.top); got != want {
					t.Errorf("content at %v, want %v", got, want)
				}
				if got, want := content.Size(), fyne.NewSize(600-3*p, 300-1.5*p-tt.top); got != want {
					t.Errorf("content size %v, want %v", got, want)
				}
			}
			if len(r.Objects()) != 2+len(nonNil(content)) {
				t.Errorf("%d objects", len(r.Objects()))
			}
			if !same(r.frame.StrokeColor, palette[theme.ColorNameSeparator]) || r.frame.StrokeWidth <= 0 {
				t.Errorf("frame %v × %v, want the separator colour", r.frame.StrokeColor, r.frame.StrokeWidth)
			}
		})
	}
}

func nonNil(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil {
		return nil
	}
	return []fyne.CanvasObject{o}
}

func TestCardSetters(t *testing.T) {
	newTestApp(t)
	c := NewCard("旧标题", nil)
	w := test.NewTempWindow(t, c)
	c.SetTitle("")
	r := test.WidgetRenderer(c).(*cardRenderer)
	if r.title.Text != "" || r.title.Visible() {
		t.Errorf("cleared title still drawn: %q", r.title.Text)
	}
	l := widget.NewLabel("内容")
	c.SetContent(l)
	if objs := r.Objects(); objs[len(objs)-1] != l {
		t.Error("new content not drawn")
	}
	found := false
	for _, o := range test.LaidOutObjects(w.Content()) {
		if x, ok := o.(*canvas.Text); ok && x.Text == "内容" {
			found = true
		}
	}
	if !found {
		t.Error("the content's text is not on the window")
	}
}

package kioskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Card groups a title and content in a framed box, like widget.Card, but
// its title is drawn in the regular style, standing out by size (the
// theme's heading size) instead of weight. The frame is a line in the
// separator colour, which the high-contrast palette makes white, where
// widget.Card has a shadow that palette makes invisible.
type Card struct {
	widget.BaseWidget
	// Title is drawn above the content; "" leaves the room out.
	Title string
	// Content is the card's body; nil for none.
	Content fyne.CanvasObject
}

// NewCard returns a card with title and content.
func NewCard(title string, content fyne.CanvasObject) *Card {
	c := &Card{Title: title, Content: content}
	c.ExtendBaseWidget(c)
	return c
}

// SetTitle changes the title.
func (c *Card) SetTitle(title string) {
	c.Title = title
	c.Refresh()
}

// SetContent changes the body.
func (c *Card) SetContent(content fyne.CanvasObject) {
	c.Content = content
	c.Refresh()
}

// MinSize is the title and content with the card's padding.
func (c *Card) MinSize() fyne.Size {
	c.ExtendBaseWidget(c)
	return c.BaseWidget.MinSize()
}

// CreateRenderer builds the card's canvas objects.
func (c *Card) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	r := &cardRenderer{c: c, frame: canvas.NewRectangle(color.Transparent), title: canvas.NewText(c.Title, color.Black)}
	r.applyTheme()
	return r
}

// cardRenderer lays a Card out with widget.Card's spacing (in units of
// the theme's padding p): the frame inset by p/2, the title at 2.5p from
// the frame's corner, the content 1.5p in from the sides and bottom and
// 1.5p below the title (or the top).
type cardRenderer struct {
	c     *Card
	frame *canvas.Rectangle
	title *canvas.Text
}

func (r *cardRenderer) Objects() []fyne.CanvasObject {
	if r.c.Content == nil {
		return []fyne.CanvasObject{r.frame, r.title}
	}
	return []fyne.CanvasObject{r.frame, r.title, r.c.Content}
}

func (r *cardRenderer) Destroy() {}

func (r *cardRenderer) MinSize() fyne.Size {
	p := r.c.Theme().Size(theme.SizeNamePadding)
	min := fyne.NewSize(p, p)
	if r.c.Title != "" {
		t := r.title.MinSize()
		min = fyne.NewSize(fyne.Max(min.Width, t.Width+5*p), min.Height+4*p+t.Height)
	}
	if r.c.Content != nil {
		cm := r.c.Content.MinSize()
		min = fyne.NewSize(fyne.Max(min.Width, cm.Width+3*p), min.Height+cm.Height+2*p)
	}
	return min
}

func (r *cardRenderer) Layout(size fyne.Size) {
	p := r.c.Theme().Size(theme.SizeNamePadding)
	r.frame.Move(fyne.NewSquareOffsetPos(p / 2))
	r.frame.Resize(size.Subtract(fyne.NewSquareSize(p)))
	top := 1.5 * p
	if r.c.Title != "" {
		h := r.title.MinSize().Height
		r.title.Move(fyne.NewSquareOffsetPos(2.5 * p))
		r.title.Resize(fyne.NewSize(size.Width-5*p, h))
		top += 4*p + h
	}
	if r.c.Content != nil {
		r.c.Content.Move(fyne.NewPos(1.5*p, top))
		r.c.Content.Resize(fyne.NewSize(size.Width-3*p, size.Height-1.5*p-top))
	}
}

func (r *cardRenderer) Refresh() {
	r.applyTheme()
	if r.c.Content != nil {
		r.c.Content.Refresh()
	}
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

// applyTheme sets the title and the frame from the card and its theme.
func (r *cardRenderer) applyTheme() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.title.Text = r.c.Title
	r.title.TextSize = th.Size(theme.SizeNameHeadingText)
	r.title.Color = th.Color(theme.ColorNameForeground, v)
	r.title.Hidden = r.c.Title == ""
	r.title.Refresh()
	r.frame.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	r.frame.StrokeWidth = th.Size(theme.SizeNameSeparatorThickness)
	r.frame.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.frame.Refresh()
}

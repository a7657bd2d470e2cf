package kioskwidget

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// namedTheme gives each colour name a colour of its own, so a test can
// tell which name a widget used; sizes and fonts are the default theme's.
type namedTheme struct{ fyne.Theme }

var palette = map[fyne.ThemeColorName]color.NRGBA{
	theme.ColorNameForeground:          {1, 0, 0, 0xff},
	theme.ColorNameDisabled:            {2, 0, 0, 0xff},
	theme.ColorNameButton:              {3, 0, 0, 0xff},
	theme.ColorNameDisabledButton:      {4, 0, 0, 0xff},
	theme.ColorNamePrimary:             {5, 0, 0, 0xff},
	theme.ColorNameForegroundOnPrimary: {6, 0, 0, 0xff},
	theme.ColorNameError:               {7, 0, 0, 0xff},
	theme.ColorNameForegroundOnError:   {8, 0, 0, 0xff},
	theme.ColorNameWarning:             {9, 0, 0, 0xff},
	theme.ColorNameForegroundOnWarning: {10, 0, 0, 0xff},
	theme.ColorNameSuccess:             {11, 0, 0, 0xff},
	theme.ColorNameForegroundOnSuccess: {12, 0, 0, 0xff},
	theme.ColorNameSeparator:           {13, 0, 0, 0xff},
	theme.ColorNameFocus:               {0, 0, 0xff, 0xff}, // opaque: the blend is the focus colour itself
	theme.ColorNameHover:               {0, 0xff, 0, 0xff},
	theme.ColorNamePressed:             {0, 0, 0, 0x80},
}

func (n namedTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := palette[name]; ok {
		return c
	}
	return n.Theme.Color(name, v)
}

func newTestApp(t *testing.T) {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(namedTheme{theme.DefaultTheme()})
}

// parts returns the button's background and label as its renderer drew them.
func parts(t *testing.T, b *Button) (*canvas.Rectangle, *canvas.Text, *canvas.Image) {
	t.Helper()
	r := test.WidgetRenderer(b).(*buttonRenderer)
	return r.background, r.label, r.icon
}

func same(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

func TestButtonColours(t *testing.T) {
	tests := []struct {
		name       string
		importance widget.Importance
		disabled   bool
		focused    bool
		hovered    bool
		bg, fg     fyne.ThemeColorName // "" bg: transparent
	}{
		{"medium", widget.MediumImportance, false, false, false, theme.ColorNameButton, theme.ColorNameForeground},
		{"high", widget.HighImportance, false, false, false, theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary},
		{"danger", widget.DangerImportance, false, false, false, theme.ColorNameError, theme.ColorNameForegroundOnError},
		{"warning", widget.WarningImportance, false, false, false, theme.ColorNameWarning, theme.ColorNameForegroundOnWarning},
		{"success", widget.SuccessImportance, false, false, false, theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess},
		{"low", widget.LowImportance, false, false, false, "", theme.ColorNameForeground},
		{"high, disabled", widget.HighImportance, true, false, false, theme.ColorNameDisabledButton, theme.ColorNameDisabled},
		{"low, disabled", widget.LowImportance, true, false, false, "", theme.ColorNameDisabled},
		{"high, focused", widget.HighImportance, false, true, false, theme.ColorNameFocus, theme.ColorNameForegroundOnPrimary},
		{"medium, hovered", widget.MediumImportance, false, false, true, theme.ColorNameHover, theme.ColorNameForeground},
		{"low, hovered", widget.LowImportance, false, false, true, theme.ColorNameHover, theme.ColorNameForeground},
		{"disabled wins over focus", widget.MediumImportance, true, true, true, theme.ColorNameDisabledButton, theme.ColorNameDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newTestApp(t)
			b := NewButton("提交", nil)
			b.Importance = tt.importance
			w := test.NewTempWindow(t, b)
			if tt.disabled {
				b.Disable()
			}
			if tt.focused {
				w.Canvas().Focus(b)
			}
			if tt.hovered {
				b.MouseIn(nil)
			}
			b.Refresh()
			bg, fg, _ := parts(t, b)
			want := color.Color(color.Transparent)
			if tt.bg != "" {
				want = palette[tt.bg]
			}
			if !same(bg.FillColor, want) {
				t.Errorf("background %v, want %s %v", bg.FillColor, tt.bg, want)
			}
			if !same(fg.Color, palette[tt.fg]) {
				t.Errorf("text %v, want %s", fg.Color, tt.fg)
			}
			if fg.TextStyle != (fyne.TextStyle{}) {
				t.Errorf("text style %+v, want regular", fg.TextStyle)
			}
			if tt.hovered {
				b.MouseOut()
				if bg, _, _ := parts(t, b); same(bg.FillColor, palette[theme.ColorNameHover]) {
					t.Error("still hovered after the pointer left")
				}
			}
		})
	}
}

func TestButtonTapsAndKeys(t *testing.T) {
	tests := []struct {
		name     string
		disabled bool
		act      func(b *Button)
		want     int
	}{
		{"tap", false, func(b *Button) { test.Tap(b) }, 1},
		{"tap, disabled", true, func(b *Button) { test.Tap(b) }, 0},
		{"space", false, func(b *Button) { b.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) }, 1},
		{"return", false, func(b *Button) { b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }, 1},
		{"return, disabled", true, func(b *Button) { b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }, 0},
		{"other key", false, func(b *Button) { b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyA}); b.TypedRune('a') }, 0},
		{"space on the canvas's focus, reached by Tab", false, func(b *Button) {
			w := test.NewWindow(b)
			defer w.Close()
			test.FocusNext(w.Canvas())
			if f := w.Canvas().Focused(); f != nil {
				f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
			}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newTestApp(t)
			taps := 0
			b := NewButton("OK", func() { taps++ })
			if tt.disabled {
				b.Disable()
			}
			tt.act(b)
			if taps != tt.want {
				t.Errorf("%d taps, want %d", taps, tt.want)
			}
		})
	}
	t.Run("no handler", func(t *testing.T) {
		newTestApp(t)
		test.Tap(NewButton("OK", nil)) // must not panic
	})
}

func TestButtonSizeAndLayout(t *testing.T) {
	newTestApp(t)
	th := theme.DefaultTheme()
	pad := th.Size(theme.SizeNameInnerPadding)
	icon := th.Size(theme.SizeNameInlineIcon)
	text := fyne.MeasureText("申请信用修复", th.Size(theme.SizeNameText), fyne.TextStyle{})
	tests := []struct {
		name     string
		text     string
		icon     fyne.Resource
		align    widget.ButtonAlign
		min      fyne.Size
		labelX   float32 // in a 400-wide button
		iconShow bool
	}{
		{"text", "申请信用修复", nil, widget.ButtonAlignCenter,
			fyne.NewSize(text.Width+2*pad, fyne.Max(text.Height, icon)+2*pad), (400 - text.Width) / 2, false},
		{"text, leading", "申请信用修复", nil, widget.ButtonAlignLeading,
			fyne.NewSize(text.Width+2*pad, fyne.Max(text.Height, icon)+2*pad), pad, false},
		{"text, trailing", "申请信用修复", nil, widget.ButtonAlignTrailing,
			fyne.NewSize(text.Width+2*pad, fyne.Max(text.Height, icon)+2*pad), 400 - pad - text.Width, false},
		{"icon and text", "申请信用修复", theme.HomeIcon(), widget.ButtonAlignLeading,
			fyne.NewSize(icon+th.Size(theme.SizeNamePadding)+text.Width+2*pad, fyne.Max(text.Height, icon)+2*pad),
			pad + icon + th.Size(theme.SizeNamePadding), true},
		{"icon only", "", theme.HomeIcon(), widget.ButtonAlignCenter, fyne.NewSquareSize(icon + 2*pad), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewButton(tt.text, nil)
			b.Icon, b.Alignment = tt.icon, tt.align
			b.Refresh()
			if got := b.MinSize(); got != tt.min {
				t.Errorf("min size %v, want %v", got, tt.min)
			}
			b.Resize(fyne.NewSize(400, 100))
			_, label, img := parts(t, b)
			if tt.text != "" && label.Position().X != tt.labelX {
				t.Errorf("label at x=%v, want %v", label.Position().X, tt.labelX)
			}
			if label.Visible() != (tt.text != "") || img.Visible() != tt.iconShow {
				t.Errorf("label shown %v, icon shown %v", label.Visible(), img.Visible())
			}
			b.SetIcon(nil)
			b.SetText("")
			if _, label, img := parts(t, b); label.Visible() || img.Visible() {
				t.Error("an empty button still shows its label or icon")
			}
		})
	}
}

func TestButtonIconFollowsImportance(t *testing.T) {
	newTestApp(t)
	b := NewButton("首页", nil)
	b.Icon = theme.HomeIcon()
	b.Importance = widget.HighImportance
	b.Refresh()
	_, _, img := parts(t, b)
	if th, ok := img.Resource.(fyne.ThemedResource); !ok || th.ThemeColorName() != theme.ColorNameForegroundOnPrimary {
		t.Errorf("icon on a high-importance button: %#v, want coloured as the text", img.Resource)
	}
	b.Disable()
	if _, _, img := parts(t, b); img.Resource.(fyne.ThemedResource).ThemeColorName() != theme.ColorNameDisabled {
		t.Errorf("a disabled button's icon is %#v, want greyed", img.Resource)
	}
}

// TestButtonOnFocus: OnFocus runs once each time the button gains the
// focus (Tab, Shift+Tab, or the canvas's Focus), not on losing it, not on
// a tap, and not at all when the button is disabled (it cannot take the
// focus); a button without the hook takes the focus as before.
func TestButtonOnFocus(t *testing.T) {
	tests := []struct {
		name     string
		disabled bool
		hook     bool
		act      func(c fyne.Canvas, a, b *Button)
		want     int
		focused  string // the label of the focused button; "" none
	}{
		{"tab", false, true, func(c fyne.Canvas, a, b *Button) { test.FocusNext(c); test.FocusNext(c) }, 1, "B"},
		{"shift+tab", false, true, func(c fyne.Canvas, a, b *Button) { test.FocusPrevious(c) }, 1, "B"},
		{"focus, leave, focus again", false, true, func(c fyne.Canvas, a, b *Button) {
			c.Focus(b)
			test.FocusNext(c) // wraps to A: B loses the focus
			test.FocusNext(c)
		}, 2, "B"},
		{"focus twice: gained once", false, true, func(c fyne.Canvas, a, b *Button) { c.Focus(b); c.Focus(b) }, 1, "B"},
		{"tap", false, true, func(c fyne.Canvas, a, b *Button) { test.Tap(b) }, 0, ""},
		{"disabled", true, true, func(c fyne.Canvas, a, b *Button) { test.FocusNext(c); test.FocusNext(c) }, 0, "A"},
		{"no hook", false, false, func(c fyne.Canvas, a, b *Button) { test.FocusPrevious(c) }, 0, "B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newTestApp(t)
			calls := 0
			a, b := NewButton("A", nil), NewButton("B", nil)
			if tt.hook {
				b.OnFocus = func() {
					calls++
					if !b.focused {
						t.Error("OnFocus ran before the button was marked focused")
					}
				}
			}
			if tt.disabled {
				b.Disable()
			}
			w := test.NewWindow(container.NewVBox(a, b))
			defer w.Close()
			tt.act(w.Canvas(), a, b)
			if calls != tt.want {
				t.Errorf("OnFocus ran %d times, want %d", calls, tt.want)
			}
			got := ""
			if f, ok := w.Canvas().Focused().(*Button); ok {
				got = f.Text
			}
			if got != tt.focused {
				t.Errorf("focused %q, want %q", got, tt.focused)
			}
		})
	}
}

// Package kioskwidget holds the kiosk's own touch widgets, a button and a
// record card, that draw every text in the regular style.
//
// Why: Fyne 2.7 caches a parsed font face per text style, not per font
// resource (internal/painter/font.go), and its widget.Button draws its
// label bold (RichTextStyleStrong) and widget.Card its title bold, both
// hard-coded. The kiosk theme serves one embedded font (WenQuanYi Micro
// Hei, no bold weight) for every style, so each bold text made Fyne parse
// the same 4.6 MB font a second time, ≈ 18 MB of heap for glyphs that look
// exactly like the regular ones (issue 7, docs/benchmarks.md). With these
// widgets the kiosk uses one text style and the font is parsed once.
//
// Button keeps what widget.Button gives the kiosk: tap, disabled state,
// importance colours from the theme (so the high-contrast palette
// applies), hover and keyboard focus, an optional icon and the same
// minimum size (text plus the theme's inner padding on each side).
package kioskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Tappable     = (*Button)(nil)
	_ fyne.Focusable    = (*Button)(nil)
	_ fyne.Disableable  = (*Button)(nil)
	_ desktop.Hoverable = (*Button)(nil)
)

// Button is a touch button with a regular-style label.
type Button struct {
	widget.DisableableWidget
	// Text is the label, drawn in the theme's text size, regular style.
	Text string
	// Icon, if set, is drawn before the text (coloured to match the text
	// on strong importances when it is a themed resource).
	Icon fyne.Resource
	// Importance picks the colours, as for widget.Button.
	Importance widget.Importance
	// Alignment places the icon and text: centre (default), leading or
	// trailing.
	Alignment widget.ButtonAlign
	// OnTapped runs when the button is tapped (or Space/Return is typed
	// while it has the focus) and it is enabled.
	OnTapped func() `json:"-"`
	// OnFocus, if set, runs each time the button gains the keyboard focus
	// (Tab or Shift+Tab reached it), after it is drawn focused: a list
	// scrolls the focused row into view with it.
	OnFocus func() `json:"-"`

	hovered, focused bool
	tapAnim          *fyne.Animation
}

// NewButton returns a button with label text that runs tapped.
func NewButton(text string, tapped func()) *Button {
	b := &Button{Text: text, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// SetText changes the label.
func (b *Button) SetText(text string) {
	b.Text = text
	b.Refresh()
}

// SetIcon changes the icon; nil removes it.
func (b *Button) SetIcon(icon fyne.Resource) {
	b.Icon = icon
	b.Refresh()
}

// Tapped runs OnTapped unless the button is disabled.
func (b *Button) Tapped(*fyne.PointEvent) {
	if b.Disabled() {
		return
	}
	if b.tapAnim != nil && fyne.CurrentApp().Settings().ShowAnimations() {
		b.tapAnim.Stop()
		b.tapAnim.Start()
	}
	if b.OnTapped != nil {
		b.OnTapped()
	}
}

// FocusGained marks the button focused (drawn in the focus colour) and
// runs OnFocus.
func (b *Button) FocusGained() {
	b.focused = true
	b.Refresh()
	if b.OnFocus != nil {
		b.OnFocus()
	}
}

// FocusLost clears the focus mark.
func (b *Button) FocusLost() {
	b.focused = false
	b.Refresh()
}

// TypedRune ignores text input.
func (b *Button) TypedRune(rune) {}

// TypedKey taps the button on Space or Return.
func (b *Button) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeySpace || ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
		b.Tapped(nil)
	}
}

// MouseIn marks the button hovered.
func (b *Button) MouseIn(*desktop.MouseEvent) {
	b.hovered = true
	b.Refresh()
}

// MouseMoved does nothing.
func (b *Button) MouseMoved(*desktop.MouseEvent) {}

// MouseOut clears the hover mark.
func (b *Button) MouseOut() {
	b.hovered = false
	b.Refresh()
}

// MinSize is the text (and icon) plus the theme's inner padding on each
// side.
func (b *Button) MinSize() fyne.Size {
	b.ExtendBaseWidget(b)
	return b.BaseWidget.MinSize()
}

// CreateRenderer builds the button's canvas objects.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	r := &buttonRenderer{
		b:          b,
		background: canvas.NewRectangle(color.Transparent),
		pressed:    canvas.NewRectangle(color.Transparent),
		label:      canvas.NewText(b.Text, color.Black), // TextStyle{}: regular
		icon:       canvas.NewImageFromResource(nil),
	}
	r.icon.FillMode = canvas.ImageFillContain
	b.tapAnim = pressAnimation(r.pressed, b)
	r.applyTheme()
	return r
}

// colorNames picks the foreground, background and blend colours as
// widget.Button does, so the themes (and the high-contrast palette) look
// the same on both.
func (b *Button) colorNames() (fg, bg, blend fyne.ThemeColorName) {
	fg = theme.ColorNameForeground
	switch {
	case b.Disabled():
		fg = theme.ColorNameDisabled
		if b.Importance != widget.LowImportance {
			bg = theme.ColorNameDisabledButton
		}
		return fg, bg, ""
	case b.focused:
		blend = theme.ColorNameFocus
	case b.hovered:
		blend = theme.ColorNameHover
	}
	switch b.Importance {
	case widget.DangerImportance:
		fg, bg = theme.ColorNameForegroundOnError, theme.ColorNameError
	case widget.HighImportance:
		fg, bg = theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary
	case widget.SuccessImportance:
		fg, bg = theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess
	case widget.WarningImportance:
		fg, bg = theme.ColorNameForegroundOnWarning, theme.ColorNameWarning
	case widget.LowImportance:
		if blend != "" {
			bg = theme.ColorNameButton
		}
	default:
		bg = theme.ColorNameButton
	}
	return fg, bg, blend
}

// pressAnimation fades the pressed colour out over the button after a tap.
func pressAnimation(bg *canvas.Rectangle, b *Button) *fyne.Animation {
	return fyne.NewAnimation(canvas.DurationStandard, func(done float32) {
		c := color.NRGBAModel.Convert(b.Theme().Color(theme.ColorNamePressed, fyne.CurrentApp().Settings().ThemeVariant())).(color.NRGBA)
		c.A = uint8(float32(c.A) * (1 - done))
		bg.Resize(b.Size())
		bg.FillColor = c
		if done >= 1 {
			bg.FillColor = color.Transparent
		}
		canvas.Refresh(bg)
	})
}

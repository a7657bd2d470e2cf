package kioskwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// buttonRenderer draws a Button: background, the pressed flash, the icon
// and the label (a canvas.Text in the regular style).
type buttonRenderer struct {
	b          *Button
	background *canvas.Rectangle
	pressed    *canvas.Rectangle
	label      *canvas.Text
	icon       *canvas.Image
}

func (r *buttonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.pressed, r.icon, r.label}
}

func (r *buttonRenderer) Destroy() {}

// contentSize is the size of the icon and text side by side, and the
// icon's side (0 without an icon). It is at least an icon tall, with or
// without one, as in widget.Button, so a text button is as tall as one
// with an icon.
func (r *buttonRenderer) contentSize(th fyne.Theme) (size fyne.Size, iconSide float32) {
	if r.b.Text != "" {
		size = r.label.MinSize()
	}
	inline := th.Size(theme.SizeNameInlineIcon)
	size.Height = fyne.Max(size.Height, inline)
	if r.b.Icon != nil {
		iconSide = inline
		if r.b.Text != "" {
			size.Width += th.Size(theme.SizeNamePadding)
		}
		size.Width += iconSide
	}
	return size, iconSide
}

func (r *buttonRenderer) MinSize() fyne.Size {
	th := r.b.Theme()
	size, _ := r.contentSize(th)
	return size.Add(fyne.NewSquareSize(2 * th.Size(theme.SizeNameInnerPadding)))
}

func (r *buttonRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	r.pressed.Resize(size)
	th := r.b.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	content, iconSide := r.contentSize(th)
	var x float32
	switch r.b.Alignment {
	case widget.ButtonAlignLeading:
		x = pad
	case widget.ButtonAlignTrailing:
		x = size.Width - content.Width - pad
	default:
		x = (size.Width - content.Width) / 2
	}
	if iconSide > 0 {
		r.icon.Move(fyne.NewPos(x, (size.Height-iconSide)/2))
		r.icon.Resize(fyne.NewSquareSize(iconSide))
		x += iconSide + th.Size(theme.SizeNamePadding)
	}
	text := r.label.MinSize()
	r.label.Move(fyne.NewPos(x, (size.Height-text.Height)/2))
	r.label.Resize(text)
}

func (r *buttonRenderer) Refresh() {
	r.applyTheme()
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

// applyTheme sets the text, colours, sizes and icon from the button and
// its theme.
func (r *buttonRenderer) applyTheme() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg, bg, blend := r.b.colorNames()
	fill := color.Color(color.Transparent)
	if bg != "" {
		fill = th.Color(bg, v)
	}
	if blend != "" {
		fill = over(fill, th.Color(blend, v))
	}
	r.background.FillColor = fill
	r.background.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.background.Refresh()

	r.label.Text = r.b.Text
	r.label.Color = th.Color(fg, v)
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.label.Hidden = r.b.Text == ""
	r.label.Refresh()

	icon := r.b.Icon
	if themed, ok := icon.(fyne.ThemedResource); ok {
		switch {
		case r.b.Disabled():
			icon = theme.NewDisabledResource(themed)
		case r.b.Importance != widget.MediumImportance && r.b.Importance != widget.LowImportance && themed.ThemeColorName() != fg:
			icon = theme.NewColoredResource(themed, fg)
		}
	}
	r.icon.Resource = icon
	r.icon.Hidden = icon == nil
	r.icon.Refresh()
}

// over composes over on top of under (Porter-Duff "over"; RGBA values are
// premultiplied), as a hover or focus tint lies over a button's colour.
func over(under, over color.Color) color.Color {
	ur, ug, ub, ua := under.RGBA()
	or, og, ob, oa := over.RGBA()
	keep := 0xffff - oa
	return color.RGBA64{
		R: uint16(or + ur*keep/0xffff),
		G: uint16(og + ug*keep/0xffff),
		B: uint16(ob + ub*keep/0xffff),
		A: uint16(oa + ua*keep/0xffff),
	}
}

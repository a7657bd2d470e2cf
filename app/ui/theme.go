package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/gansu-credit/credit/assets"
)

// fontResource is the embedded WenQuanYi Micro Hei, served for every style
// so Chinese renders (and goldens match) on every machine.
var fontResource = fyne.NewStaticResource("wqy-microhei.ttf", assets.FontRegular)

// kioskTheme is the default theme with the embedded CJK font and larger
// text and padding for a touch screen.
type kioskTheme struct {
	fyne.Theme
}

// NewTheme returns the kiosk theme.
func NewTheme() fyne.Theme { return kioskTheme{Theme: theme.DefaultTheme()} }

// Font serves the embedded font for every text style.
func (kioskTheme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

// Color keeps the default palette.
func (k kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return k.Theme.Color(n, v)
}

// Size enlarges text, padding and touch targets.
func (k kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 20
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 24
	case theme.SizeNameCaptionText:
		return 16
	case theme.SizeNamePadding:
		return 6
	case theme.SizeNameInnerPadding:
		return 12
	case theme.SizeNameInlineIcon:
		return 28
	case theme.SizeNameScrollBar:
		return 20
	}
	return k.Theme.Size(n)
}

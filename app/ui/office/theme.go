package office

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/gansu-credit/credit/assets"
)

// fontResource is the embedded WenQuanYi Micro Hei, so Chinese renders the
// same on every machine (goldens included).
var fontResource = fyne.NewStaticResource("wqy-microhei.ttf", assets.FontRegular)

// officeTheme is the default theme at desktop sizes (mouse and keyboard)
// with the embedded CJK font.
type officeTheme struct {
	fyne.Theme
}

// NewTheme returns the office theme.
func NewTheme() fyne.Theme { return officeTheme{Theme: theme.DefaultTheme()} }

// Font serves the embedded font for every text style.
func (officeTheme) Font(fyne.TextStyle) fyne.Resource { return fontResource }

package ui

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// MinTouchTarget is the smallest side of anything the holder taps, in
// Fyne units: 12 mm (issue 7) at the finest scale Fyne auto-scaling uses
// (one unit = 1/120 inch at 120 DPI and above; on coarser screens a unit
// is one pixel and so larger), rounded up.
const MinTouchTarget = 57

// kioskTheme is the default theme with the embedded CJK font and larger
// text and padding for a touch screen; with contrast set, a black, white
// and yellow palette for people who see poorly.
type kioskTheme struct {
	fyne.Theme
	contrast bool
	font     fyne.Resource // the font to draw with; nil: the everyday subset (fonttier.go)
}

// NewTheme returns the kiosk theme.
func NewTheme() fyne.Theme { return kioskTheme{Theme: theme.DefaultTheme()} }

// NewHighContrastTheme returns the kiosk theme with the high-contrast
// palette (every text at least 7:1 against its background, WCAG AAA).
func NewHighContrastTheme() fyne.Theme {
	return kioskTheme{Theme: theme.DefaultTheme(), contrast: true}
}

// Font serves the embedded font for every text style: the everyday subset,
// or the one the theme carries (the subset with rare characters added,
// fonttier.go). Fyne asks once
// per style it draws or measures and parses the font again for each (issue
// 7: ≈ 6 MB of heap a parse of the subset, ≈ 17 MB of the whole font), so
// the kiosk draws one style only; fontStylesAsked keeps the styles asked
// for, for TestOneTextStyle.
func (k kioskTheme) Font(s fyne.TextStyle) fyne.Resource {
	fontStylesAsked.Store(s, struct{}{})
	if k.font != nil {
		return k.font
	}
	return commonFontResource
}

// fontStylesAsked holds every fyne.TextStyle the kiosk theme's Font was
// called with (a handful of keys).
var fontStylesAsked sync.Map

// Color keeps the default palette, or serves the high-contrast one.
func (k kioskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if k.contrast {
		if c, ok := highContrast[n]; ok {
			return c
		}
		return k.Theme.Color(n, theme.VariantDark)
	}
	return k.Theme.Color(n, v)
}

var (
	black  = color.NRGBA{0, 0, 0, 0xff}
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	yellow = color.NRGBA{0xff, 0xe0, 0x00, 0xff}
)

// highContrast is the high-contrast palette: white text on black, yellow
// for what is primary or focused (with black text on it), and light tints
// for errors, warnings and success that keep 7:1 on black.
var highContrast = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameBackground:          black,
	theme.ColorNameForeground:          white,
	theme.ColorNameButton:              color.NRGBA{0x26, 0x26, 0x26, 0xff},
	theme.ColorNameDisabledButton:      color.NRGBA{0x1a, 0x1a, 0x1a, 0xff},
	theme.ColorNameDisabled:            color.NRGBA{0xb0, 0xb0, 0xb0, 0xff},
	theme.ColorNamePlaceHolder:         color.NRGBA{0xc8, 0xc8, 0xc8, 0xff},
	theme.ColorNamePrimary:             yellow,
	theme.ColorNameForegroundOnPrimary: black,
	theme.ColorNameFocus:               yellow,
	theme.ColorNameHover:               color.NRGBA{0xff, 0xff, 0xff, 0x30},
	theme.ColorNamePressed:             color.NRGBA{0xff, 0xff, 0xff, 0x50},
	theme.ColorNameSelection:           color.NRGBA{0xff, 0xe0, 0x00, 0x60},
	theme.ColorNameInputBackground:     black,
	theme.ColorNameInputBorder:         white,
	theme.ColorNameSeparator:           white,
	theme.ColorNameShadow:              color.NRGBA{0, 0, 0, 0},
	theme.ColorNameHeaderBackground:    black,
	theme.ColorNameMenuBackground:      black,
	theme.ColorNameOverlayBackground:   black,
	theme.ColorNameScrollBar:           color.NRGBA{0xff, 0xff, 0xff, 0xc0},
	theme.ColorNameScrollBarBackground: color.NRGBA{0x40, 0x40, 0x40, 0xff},
	theme.ColorNameError:               color.NRGBA{0xff, 0x8a, 0x8a, 0xff},
	theme.ColorNameForegroundOnError:   black,
	theme.ColorNameWarning:             color.NRGBA{0xff, 0xc2, 0x4d, 0xff},
	theme.ColorNameForegroundOnWarning: black,
	theme.ColorNameSuccess:             color.NRGBA{0x7d, 0xe8, 0x7d, 0xff},
	theme.ColorNameForegroundOnSuccess: black,
	theme.ColorNameHyperlink:           yellow,
}

// Size enlarges text, padding and touch targets: with 20-unit text and
// 16-unit inner padding a plain button is 60 units tall, above
// MinTouchTarget.
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
		return 16
	case theme.SizeNameInlineIcon:
		return 28
	case theme.SizeNameScrollBar:
		return 20
	case theme.SizeNameInputBorder:
		if k.contrast {
			return 3
		}
	}
	return k.Theme.Size(n)
}

// theme is the kiosk theme in the chosen contrast.
func (u *UI) theme() fyne.Theme {
	return kioskTheme{Theme: theme.DefaultTheme(), contrast: u.contrast, font: u.font}
}

// toggleContrast switches the high-contrast theme on or off; the screen
// and what was typed stay.
func (u *UI) toggleContrast() {
	u.contrast = !u.contrast
	if a := fyne.CurrentApp(); a != nil {
		a.Settings().SetTheme(u.theme())
	}
	u.contrastBtn.Importance = widget.MediumImportance
	if u.contrast {
		u.contrastBtn.Importance = widget.HighImportance
	}
	u.contrastBtn.Refresh()
	u.touch()
}

// HighContrast reports whether the high-contrast theme is on.
func (u *UI) HighContrast() bool { return u.contrast }

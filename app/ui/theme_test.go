package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	lin := func(v uint32) float64 {
		x := float64(v>>8) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrastRatio is the WCAG contrast ratio of a and b.
func contrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestHighContrastTheme(t *testing.T) {
	th := NewHighContrastTheme()
	test.AssertAllColorNamesDefined(t, th, "kiosk high contrast")
	// Text and what it is drawn on: at least 7:1 (WCAG AAA) in both
	// variants, whatever the system asks for.
	pairs := [][2]fyne.ThemeColorName{
		{theme.ColorNameForeground, theme.ColorNameBackground},
		{theme.ColorNameForeground, theme.ColorNameButton},
		{theme.ColorNameForeground, theme.ColorNameInputBackground},
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnError, theme.ColorNameError},
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{theme.ColorNameError, theme.ColorNameBackground},
		{theme.ColorNameWarning, theme.ColorNameBackground},
		{theme.ColorNameSuccess, theme.ColorNameBackground},
		{theme.ColorNamePrimary, theme.ColorNameBackground},
		{theme.ColorNameDisabled, theme.ColorNameBackground},
		{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground},
		{theme.ColorNameInputBorder, theme.ColorNameBackground},
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, p := range pairs {
			if r := contrastRatio(th.Color(p[0], v), th.Color(p[1], v)); r < 7 {
				t.Errorf("variant %d: %s on %s is %.1f:1, want at least 7:1", v, p[0], p[1], r)
			}
		}
	}
	// The normal theme is not high contrast (the switch changes something).
	if n := NewTheme(); contrastRatio(n.Color(theme.ColorNameForegroundOnPrimary, theme.VariantLight), n.Color(theme.ColorNamePrimary, theme.VariantLight)) >= 7 &&
		n.Color(theme.ColorNameBackground, theme.VariantLight) == th.Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("the normal theme already is the high-contrast one")
	}
	if th.Size(theme.SizeNameText) != NewTheme().Size(theme.SizeNameText) {
		t.Error("high contrast changed the text size")
	}
}

// TestContrastSwitch: the switch on every screen changes the app's theme
// and keeps the screen and what was typed; the state survives a language
// change, and Options.HighContrast starts with it on.
func TestContrastSwitch(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	bg := func() color.Color {
		return fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
	}
	if u.HighContrast() || bg() == black {
		t.Fatal("high contrast on at start")
	}
	test.Tap(u.home.searchBtn)
	test.Type(u.search.entry, "物流")
	if !u.contrastBtn.Visible() {
		t.Fatal("no contrast switch on the search screen")
	}
	test.Tap(u.contrastBtn)
	if !u.HighContrast() || bg() != black || u.screen != screenSearch || u.search.entry.Text != "物流" {
		t.Errorf("after switching on: contrast %v, background %v, screen %d, entry %q", u.HighContrast(), bg(), u.screen, u.search.entry.Text)
	}
	test.Tap(u.langBtn)
	if !u.HighContrast() || u.contrastBtn.Text != "High contrast" {
		t.Errorf("after the language switch: contrast %v, button %q", u.HighContrast(), u.contrastBtn.Text)
	}
	test.Tap(u.contrastBtn)
	if u.HighContrast() || bg() == black {
		t.Error("switching off left high contrast on")
	}

	k2 := newKiosk(t, true)
	k2.ui.Close()
	opts := k2.opts()
	opts.HighContrast = true
	u2 := New(k2.svc, opts)
	defer u2.Close()
	u2.Show(k2.w)
	if !u2.HighContrast() || bg() != black {
		t.Error("Options.HighContrast did not start in high contrast")
	}
}

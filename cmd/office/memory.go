package main

import (
	"fyne.io/fyne/v2"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/office"
)

// newOfficeUI sets the office theme on a before it builds the UI, as the
// kiosk's newKioskUI does: office.New lays its widgets out at once, and
// Fyne caches a parsed font face per text style on first use. Built under
// Fyne's default theme, the regular style's face would be Fyne's Latin
// font plus whatever system font covers Chinese (boxes without one), and
// with the GL driver that face stays, because the font cache is cleared on
// a theme change only once the driver runs (issue 7).
func newOfficeUI(a fyne.App, off *creditapp.Office, opts office.Options) *office.UI {
	a.Settings().SetTheme(office.NewTheme())
	return office.New(off, opts)
}

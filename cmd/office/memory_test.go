package main

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/app/ui/office"
)

// sentinelTheme is Fyne's default theme that notes when a font is asked of
// it: text measured under it was laid out before the office theme was set.
type sentinelTheme struct {
	fyne.Theme
	asked *atomic.Bool
}

func (s sentinelTheme) Font(st fyne.TextStyle) fyne.Resource {
	s.asked.Store(true)
	return s.Theme.Font(st)
}

// TestNewOfficeUISetsThemeFirst: the office UI's first layout measures its
// text under the office theme (the embedded CJK font), never under the
// theme the app had before, whose faces the GL driver would keep (issue 7).
func TestNewOfficeUISetsThemeFirst(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			m := openOffice(t, filepath.Join(t.TempDir(), "office.db"))
			a := test.NewTempApp(t)
			asked := &atomic.Bool{}
			a.Settings().SetTheme(sentinelTheme{Theme: theme.DefaultTheme(), asked: asked})
			asked.Store(false)
			u := newOfficeUI(a, m.Office, office.Options{Lang: lang, Logger: m.Logger})
			defer u.Close()
			if asked.Load() {
				t.Error("the UI measured text under the previous theme: the office theme was set after office.New")
			}
			if got, want := a.Settings().Theme(), office.NewTheme(); got != want {
				t.Errorf("theme = %#v, want the office theme %#v", got, want)
			}
			w := test.NewWindow(nil)
			defer w.Close()
			u.Show(w)
			if asked.Load() {
				t.Error("the shown UI asked the previous theme for a font")
			}
		})
	}
}

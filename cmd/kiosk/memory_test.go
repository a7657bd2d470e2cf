package main

import (
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/store"
)

// sentinelTheme is Fyne's default theme that notes when a font is asked of
// it: text measured under it was laid out before the kiosk theme was set.
type sentinelTheme struct {
	fyne.Theme
	asked *atomic.Bool
}

func (s sentinelTheme) Font(st fyne.TextStyle) fyne.Resource {
	s.asked.Store(true)
	return s.Theme.Font(st)
}

// TestNewKioskUISetsThemeFirst: the UI's first layout measures its text
// under the kiosk theme (the embedded CJK font), never under the theme the
// app had before, whose faces the GL driver would keep (issue 7).
func TestNewKioskUISetsThemeFirst(t *testing.T) {
	for _, tt := range []struct {
		name         string
		highContrast bool
		want         fyne.Theme
	}{
		{"normal", false, ui.NewTheme()},
		{"high contrast", true, ui.NewHighContrastTheme()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			asked := &atomic.Bool{}
			a.Settings().SetTheme(sentinelTheme{Theme: theme.DefaultTheme(), asked: asked})
			asked.Store(false)
			db, err := store.Open(t.Context(), fixtureDB(t), store.WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			svc := creditapp.New(creditapp.Deps{Records: db, Inquiries: db, Applications: db, DeviceID: "t"})
			u := newKioskUI(a, svc, ui.Options{HighContrast: tt.highContrast, Go: func(f func()) { f() }, Do: func(f func()) { f() }})
			defer u.Close()
			if asked.Load() {
				t.Error("the UI measured text under the previous theme: the kiosk theme was set after ui.New")
			}
			if got := a.Settings().Theme(); got != tt.want {
				t.Errorf("theme = %#v, want the kiosk theme %#v", got, tt.want)
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

// TestSetMemoryLimit: --memory-limit sets the runtime's soft limit in MiB;
// 0 leaves it alone, and GOMEMLIMIT in the environment wins.
func TestSetMemoryLimit(t *testing.T) {
	orig := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(orig) })
	for _, tt := range []struct {
		name   string
		mib    int
		env    string
		want   int64 // returned and in force afterwards
		forced bool  // the runtime's limit must equal want
	}{
		{name: "64 MiB", mib: 64, want: 64 << 20, forced: true},
		{name: "other", mib: 200, want: 200 << 20, forced: true},
		{name: "off", mib: 0, want: 0},
		{name: "GOMEMLIMIT wins", mib: 64, env: "100MiB", want: 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetMemoryLimit(orig)
			t.Setenv("GOMEMLIMIT", tt.env)
			if got := setMemoryLimit(tt.mib); got != tt.want {
				t.Fatalf("setMemoryLimit(%d) = %d, want %d", tt.mib, got, tt.want)
			}
			now := debug.SetMemoryLimit(-1)
			if tt.forced && now != tt.want {
				t.Errorf("runtime limit = %d, want %d", now, tt.want)
			}
			if !tt.forced && now != orig {
				t.Errorf("runtime limit changed to %d", now)
			}
		})
	}
}

// TestSetGCPercent: --gc-percent sets the collector's percent; 0 leaves
// it alone, and GOGC in the environment wins.
func TestSetGCPercent(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, tt := range []struct {
		name string
		p    int
		env  string
		want int // returned, and in force afterwards when not 0
	}{
		{name: "default", p: DefaultGCPercent, want: 50},
		{name: "other", p: 30, want: 30},
		{name: "off", p: 0, want: 0},
		{name: "GOGC wins", p: 50, env: "200", want: 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			t.Setenv("GOGC", tt.env)
			if got := setGCPercent(tt.p); got != tt.want {
				t.Fatalf("setGCPercent(%d) = %d, want %d", tt.p, got, tt.want)
			}
			now := debug.SetGCPercent(100)
			if tt.want != 0 && now != tt.want || tt.want == 0 && now != 100 {
				t.Errorf("collector percent = %d after setGCPercent(%d)", now, tt.p)
			}
		})
	}
}

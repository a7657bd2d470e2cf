package main

import (
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// DefaultMemoryLimitMiB is the default of --memory-limit: none. A soft
// limit of the Go runtime's memory (debug.SetMemoryLimit) is a complement
// to parsing fewer fonts, not a substitute: the kiosk's Go heap on a
// 1M-record cache is ≈ 50 MiB live, and under Xvfb 80 MiB took 1 MB off
// the peak RSS, 64 MiB 7 MB (issue 7, docs/benchmarks.md), while a limit
// near the live heap makes the collector run constantly (a snapshot sync
// holds more). Operators can set one where memory is short.
const DefaultMemoryLimitMiB = 0

// setMemoryLimit applies --memory-limit as debug.SetMemoryLimit unless the
// GOMEMLIMIT environment variable is set (it wins, as Go documents) or the
// limit is 0. It returns the limit in bytes it set, 0 if none.
func setMemoryLimit(mib int) int64 {
	if mib <= 0 || os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := int64(mib) << 20
	debug.SetMemoryLimit(limit)
	return limit
}

// DefaultGCPercent is the default of --gc-percent: the kiosk collects when
// its heap has grown half again over what is live, not Go's default of
// doubling. Its live heap is small (≈ 11 MB: mostly the parsed font) and
// it allocates in bursts (a screen's text images), so the peak — what
// counts against the memory target (issue 7) — is set by the heap goal:
// under Xvfb 50 % took ≈ 3 MB off the peak RSS for ≈ 1 % more CPU during
// start-up (docs/benchmarks.md).
const DefaultGCPercent = 50

// setGCPercent applies --gc-percent unless the GOGC environment variable
// is set (it wins) or the percent is 0. It returns the percent it set, 0
// if none.
func setGCPercent(p int) int {
	if p <= 0 || os.Getenv("GOGC") != "" {
		return 0
	}
	debug.SetGCPercent(p)
	return p
}

// newKioskUI sets the kiosk theme on a before it builds the UI. ui.New
// lays its widgets out at once, and Fyne caches a parsed font face per
// text style on first use: built under Fyne's default theme, the regular
// style's face would be Fyne's Latin font plus whatever system font covers
// Chinese (parsed from disk, ≈ 19 MB of heap with WenQuanYi installed,
// boxes without it), and with the GL driver that face stays, because the
// font cache is cleared on a theme change only once the driver runs.
func newKioskUI(a fyne.App, svc *creditapp.Service, opts ui.Options) *ui.UI {
	th := ui.NewTheme()
	if opts.HighContrast {
		th = ui.NewHighContrastTheme()
	}
	a.Settings().SetTheme(th)
	return ui.New(svc, opts)
}

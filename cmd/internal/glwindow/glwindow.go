// Package glwindow tunes the GL window the Fyne apps (kiosk, office) open.
package glwindow

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// Depthless asks GLFW for the app's window without depth and stencil
// buffers (issue 7: the kiosk's RSS ≤ 150 MB; the office gets the same). GLFW's defaults give every
// window a 24-bit depth and 8-bit stencil buffer, 4 bytes a pixel — 8 MB
// at 1920×1080 — and Fyne uses neither: it draws with the depth test off
// and clips with the scissor, so the buffer only costs memory and a clear
// every frame (Fyne clears it; on a window without one that is a no-op).
//
// Window hints are GLFW state read when a window is created: this must
// run on the main goroutine after Fyne has initialised GLFW (its
// NewWindow does) and before the window is shown (Show creates the GLFW
// window; Fyne sets only its own hints there and leaves these). If GLFW
// is not initialised — another driver, or a Fyne that initialises later
// — GLFW refuses the hint and the window keeps the default buffers: the
// error is returned, the app runs as before.
func Depthless() (err error) {
	defer func() {
		if r := recover(); r != nil { // go-gl turns GLFW's NotInitialized into a panic
			err = fmt.Errorf("window without depth buffer: %v", r)
		}
	}()
	glfw.WindowHint(glfw.DepthBits, 0)
	glfw.WindowHint(glfw.StencilBits, 0)
	return nil
}

// FitScreen returns the window size w×h (Fyne units) shrunk to fit the
// primary monitor's work area (the screen less panels and taskbars), so a desk app opened at its usual size on a smaller
// screen (1024×768 in a county office) shows its right and bottom edges.
// A unit is as many of the monitor's pixels as Fyne's GL driver draws it
// with (fyneScale: the monitor's DPI and the user's FYNE_SCALE or scale
// setting — not GLFW's content scale, which Fyne does not use on X11). Like
// Depthless it runs after Fyne's NewWindow has initialised GLFW, on the
// main goroutine; without GLFW or a monitor the size is returned
// unchanged.
func FitScreen(w, h float32) (fw, fh float32) {
	fw, fh = w, h
	defer func() { _ = recover() }() // GLFW not initialised: keep the size
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return w, h
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return w, h
	}
	widthMm, heightMm := m.GetPhysicalSize()
	sx, _ := m.GetContentScale()
	s := fyneScale(userScale(), systemScale(runtime.GOOS, sx, widthMm, heightMm, mode.Width))
	// The work area leaves out panels and taskbars where the window
	// manager says so; without one it is the whole screen.
	aw, ah := mode.Width, mode.Height
	if _, _, ww, wh := m.GetWorkarea(); ww > 0 && wh > 0 {
		aw, ah = min(aw, ww), min(ah, wh)
	}
	return min(w, float32(aw)/s), min(h, float32(ah)/s)
}

// The scale Fyne v2's GL driver (internal/driver/glfw/scale.go) draws a
// window at, which it does not export: the user's scale times the scale
// detected from the monitor's DPI, rounded to a tenth.

// fyneScale combines the user's and the detected scale as Fyne does.
func fyneScale(user, detected float32) float32 {
	if s := float32(math.Round(float64(user*detected*10))) / 10; s > 0 {
		return s
	}
	return 1
}

// userScale is FYNE_SCALE when set to a number, else the app's scale
// setting, else 1.
func userScale() float32 {
	env := os.Getenv("FYNE_SCALE")
	if env != "" && env != "auto" {
		if s, err := strconv.ParseFloat(env, 32); err == nil && s != 0 {
			return float32(s)
		}
	}
	if a := fyne.CurrentApp(); env != "auto" && a != nil {
		if s := a.Settings().Scale(); s > 0 {
			return s
		}
	}
	return 1
}

// systemScale is the scale Fyne takes from the system on goos: on
// Windows the monitor's content scale, on macOS 1 (the system scales), and
// elsewhere (X11) the monitor's DPI over 96, at least 1 — 1 for a
// 1024-pixel screen 300 mm wide, 1.2 for a 1366-pixel one 309 mm wide (a
// 14" laptop). FYNE_DISABLE_DPI_DETECTION turns the DPI off, and a size
// that makes no sense (DPI under 10 or over 1000, or 60×60 mm: a Steam
// Deck) counts as 96 DPI, as in Fyne.
func systemScale(goos string, content float32, widthMm, heightMm, widthPx int) float32 {
	switch env := os.Getenv("FYNE_DISABLE_DPI_DETECTION"); {
	case goos == "windows":
		return content
	case goos == "darwin":
		return 1
	case strings.EqualFold(env, "true"), strings.EqualFold(env, "t"), env == "1":
		return 1
	case widthMm == 60 && heightMm == 60:
		return 1
	}
	dpi := float32(widthPx) / (float32(widthMm) / 25.4)
	if widthMm <= 0 || dpi > 1000 || dpi < 10 {
		return 1
	}
	return max(float32(float64(dpi)/96), 1)
}

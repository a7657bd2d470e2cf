// Package glwindow tunes the GL window the Fyne apps (kiosk, office) open.
package glwindow

import (
	"fmt"

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
// primary monitor, so a desk app opened at its usual size on a smaller
// screen (1024×768 in a county office) shows its right and bottom edges.
// Units are taken as the monitor's pixels divided by its content scale,
// as Fyne scales them. Like Depthless it runs after Fyne's NewWindow has
// initialised GLFW, on the main goroutine; without GLFW or a monitor the
// size is returned unchanged.
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
	sx, sy := m.GetContentScale()
	if sx <= 0 || sy <= 0 {
		sx, sy = 1, 1
	}
	return min(w, float32(mode.Width)/sx), min(h, float32(mode.Height)/sy)
}

// Package uitest holds helpers for headless tests of the Fyne screens
// (kiosk and office): what text a window shows, overlays included.
package uitest

import (
	"fmt"
	"image/png"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Texts returns every text drawn on the window, overlays included.
func Texts(w fyne.Window) []string {
	var out []string
	objs := test.LaidOutObjects(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	for _, o := range objs {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Entry:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Card:
			out = append(out, x.Title, x.Subtitle)
		}
	}
	return out
}

// Shows reports whether some text on the window contains s.
func Shows(w fyne.Window, s string) bool {
	for _, x := range Texts(w) {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// SavePNG writes the window's current frame, rendered by the test
// driver's software painter, to path as a PNG (screenshots for docs).
func SavePNG(w fyne.Window, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save screenshot: %w", err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, w.Canvas().Capture()); err != nil {
		f.Close()
		return fmt.Errorf("save screenshot %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save screenshot %s: %w", path, err)
	}
	return nil
}

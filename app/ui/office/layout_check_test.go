package office

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// placedLabel is a label as it is drawn: where, and whether it sits in a
// scrolled area (which may run past the window's bottom).
type placedLabel struct {
	l        *widget.Label
	at       fyne.Position
	scrolled bool
}

// drawnLabels walks the window's tree as it was laid out by the UI
// itself (test.LaidOutObjects would lay it out again and hide a missing
// refresh) and returns the visible labels that show text.
func drawnLabels(w fyne.Window) []placedLabel {
	var out []placedLabel
	var walk func(o fyne.CanvasObject, origin fyne.Position, scrolled bool)
	walk = func(o fyne.CanvasObject, origin fyne.Position, scrolled bool) {
		if o == nil || !o.Visible() {
			return
		}
		at := origin.Add(o.Position())
		switch x := o.(type) {
		case *widget.Label:
			if x.Text != "" {
				out = append(out, placedLabel{x, at, scrolled})
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, at, scrolled)
			}
		case *container.Scroll:
			walk(x.Content, at, true)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, at, scrolled)
			}
		}
	}
	walk(w.Canvas().Content(), fyne.Position{}, false)
	return out
}

// layoutFaults lists what a clerk would see wrong on the window: text
// cut (a label smaller than its text, or running past the window's right
// edge, or its bottom unless it scrolls), labels drawn over each other,
// and notes in the low-importance colour, which is too faint to read on
// the dark theme.
func layoutFaults(w fyne.Window) []string {
	return labelFaults(drawnLabels(w), w.Canvas().Size())
}

// labelFaults is layoutFaults over the given labels of a window win big.
func labelFaults(labels []placedLabel, win fyne.Size) []string {
	const slack = 0.5
	var faults []string
	for i, p := range labels {
		size, min := p.l.Size(), p.l.MinSize()
		switch {
		case size.Width+slack < min.Width || size.Height+slack < min.Height:
			faults = append(faults, fmt.Sprintf("cut: %q is %v, needs %v", p.l.Text, size, min))
		case p.at.X+size.Width > win.Width+slack || (!p.scrolled && p.at.Y+size.Height > win.Height+slack):
			faults = append(faults, fmt.Sprintf("off the window: %q at %v size %v", p.l.Text, p.at, size))
		}
		if p.l.Importance == widget.LowImportance {
			faults = append(faults, fmt.Sprintf("too faint to read: %q", p.l.Text))
		}
		for _, q := range labels[i+1:] {
			qs := q.l.Size()
			if p.at.X+slack < q.at.X+qs.Width && q.at.X+slack < p.at.X+size.Width &&
				p.at.Y+slack < q.at.Y+qs.Height && q.at.Y+slack < p.at.Y+size.Height {
				faults = append(faults, fmt.Sprintf("overlap: %q %v+%v and %q %v+%v", p.l.Text, p.at, size, q.l.Text, q.at, qs))
			}
		}
	}
	return faults
}

// assertLaidOut fails the test with every layout fault on the window.
func assertLaidOut(t *testing.T, w fyne.Window, screen string) {
	t.Helper()
	for _, f := range layoutFaults(w) {
		t.Errorf("%s: %s", screen, f)
	}
}

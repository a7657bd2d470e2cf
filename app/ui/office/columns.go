package office

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columnsLayout lays cells out row by row as a table of len(weights)
// columns that share the width by weight, so a long application number
// gets the room a two-character kind does not need. Each row is as tall
// as its tallest cell at its column's width (word-wrapped labels grow).
type columnsLayout struct {
	weights []float32
}

// widths are the column widths for a table total wide.
func (l columnsLayout) widths(total float32) []float32 {
	n := len(l.weights)
	free := max(total-theme.Padding()*float32(n-1), 0)
	var sum float32
	for _, w := range l.weights {
		sum += w
	}
	out := make([]float32, n)
	for i, w := range l.weights {
		out[i] = free * w / sum
	}
	return out
}

// Layout places the cells; a short last row leaves its end empty.
func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n, pad := len(l.weights), theme.Padding()
	ws := l.widths(size.Width)
	var y float32
	for start := 0; start < len(objs); start += n {
		row := objs[start:min(start+n, len(objs))]
		var h float32
		for i, o := range row {
			o.Resize(fyne.NewSize(ws[i], o.MinSize().Height)) // wrap at the column's width first
			h = max(h, o.MinSize().Height)
		}
		var x float32
		for i, o := range row {
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(ws[i], h))
			x += ws[i] + pad
		}
		y += h + pad
	}
}

// MinSize is each column's widest cell side by side, and the rows'
// heights at the widths last laid out.
func (l columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n, pad := len(l.weights), theme.Padding()
	colW := make([]float32, n)
	var height float32
	rows := 0
	for start := 0; start < len(objs); start += n {
		var h float32
		for i, o := range objs[start:min(start+n, len(objs))] {
			m := o.MinSize()
			colW[i] = max(colW[i], m.Width)
			h = max(h, m.Height)
		}
		height += h
		rows++
	}
	width := pad * float32(n-1)
	for _, w := range colW {
		width += w
	}
	if rows > 1 {
		height += pad * float32(rows-1)
	}
	return fyne.NewSize(width, height)
}

package office

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The inquiry log's rows are a virtual list (issue 7): a page of
// app.AuditPageSize entries builds a screenful of rows, not 400
// word-wrapped labels, and each row is as tall as its tallest cell
// wrapped at its column's width.

// auditLine is one row of the list: a label per column, bound again to
// another entry as the list scrolls.
type auditLine struct {
	cells [auditCols]*widget.Label
	box   *fyne.Container
}

// newAuditBox is a row's template: the labels in the table's columns.
func newAuditBox() fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, auditCols)
	for i := range objs {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		objs[i] = l
	}
	return container.New(columnsLayout{weights: auditWeights[:]}, objs...)
}

// lineOf is the row of a template newAuditBox made.
func lineOf(o fyne.CanvasObject) *auditLine {
	box := o.(*fyne.Container)
	l := &auditLine{box: box}
	for i := range l.cells {
		l.cells[i] = box.Objects[i].(*widget.Label)
	}
	return l
}

// bind shows texts in the row.
func (l *auditLine) bind(texts [auditCols]string) {
	for i, s := range texts {
		l.cells[i].SetText(s)
	}
	l.box.Refresh() // the texts' heights changed: lay the row out again
}

// auditRows is the list of the page's rows (the rows must be set
// first). Its rows' heights follow the width: auditRowsLayout.
func (u *UI) auditRows() fyne.CanvasObject {
	a := &u.auTab
	rows := a.rows
	lines := map[fyne.CanvasObject]*auditLine{}
	var list *widget.List
	list = widget.NewList(func() int { return len(rows) }, newAuditBox, func(i widget.ListItemID, o fyne.CanvasObject) {
		l := lines[o]
		if l == nil {
			l = lineOf(o)
			lines[o] = l
			if a.list == list {
				a.lines = append(a.lines, l)
			}
		}
		if i < len(rows) {
			l.bind(rows[i])
		}
	})
	list.OnSelected = func(i widget.ListItemID) { list.Unselect(i) } // rows are read, not picked
	a.list = list
	a.forget = func() { rows = nil } // the list shows nothing from now on
	return container.New(&auditRowsLayout{tab: a}, list)
}

// clearAuditWidgets blanks every row the inquiry log's list made, shown
// or pooled, and the page and chain lines: they carry subjects, clerks'
// IDs and authorisation references, which must not stay in a widget after
// the lock or logout.
func (u *UI) clearAuditWidgets() {
	a := &u.auTab
	if a.forget != nil {
		a.forget()
	}
	a.rows = nil
	for _, l := range a.lines {
		l.bind([auditCols]string{})
	}
	for _, l := range []*widget.Label{a.pageLabel, a.chain, a.empty} {
		if l != nil {
			l.SetText("")
		}
	}
	if a.list != nil {
		a.list.Refresh()
	}
}

// auditRowsLayout gives the list its whole space and, whenever the width
// changes, tells it each row's height at that width first.
type auditRowsLayout struct {
	tab   *auditTab
	width float32
}

// Layout sizes the rows, then the list.
func (s *auditRowsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != s.width && size.Width > 0 {
		s.width = size.Width
		for i, h := range s.tab.rowHeights(size.Width) {
			s.tab.list.SetItemHeight(i, h)
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize is a few lines: the list scrolls.
func (s *auditRowsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, 3*theme.TextSize())
}

// rowHeights are the rows' heights, each its tallest cell at the
// columns' widths for a list width wide.
func (a *auditTab) rowHeights(width float32) []float32 {
	ws := columnsLayout{weights: auditWeights[:]}.widths(width)
	m := newCellMeasure()
	out := make([]float32, len(a.rows))
	for i, row := range a.rows {
		for c, s := range row {
			out[i] = max(out[i], m.height(c, s, ws[c]))
		}
	}
	return out
}

// cellMeasure finds how tall a word-wrapped label is at a width: a text
// on one line by its measured width alone, a longer one by wrapping it in
// a spare label of the column (never shown).
type cellMeasure struct {
	pad, line float32 // a label's width beside its text, and one line's height
	spare     [auditCols]*widget.Label
	style     fyne.TextStyle
}

func newCellMeasure() *cellMeasure {
	one := widget.NewLabel("x")
	min := one.MinSize()
	return &cellMeasure{pad: min.Width - fyne.MeasureText("x", theme.TextSize(), fyne.TextStyle{}).Width, line: min.Height}
}

// height is the height of column c's label showing s at width w.
func (m *cellMeasure) height(c int, s string, w float32) float32 {
	const slack = 1 // rounding: near the edge, wrap it to be sure
	if fyne.MeasureText(s, theme.TextSize(), m.style).Width+m.pad+slack <= w {
		return m.line
	}
	l := m.spare[c]
	if l == nil {
		l = widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		m.spare[c] = l
	}
	l.Resize(fyne.NewSize(w, m.line))
	l.SetText(s)
	return l.MinSize().Height
}

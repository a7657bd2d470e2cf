package ui

import (
	"maps"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowList is a virtual list that lives inside a screen's own scroll (so
// the screen keeps one touch scroller, its headings and footers): it is
// as tall as all its rows, but only the rows in view, and half a screen's
// worth on either side, exist as widgets. Rows leaving the view go to a pool
// and are bound again to the rows coming in, as widget.List does.
// A holder or business with thousands of records costs a few dozen
// widgets instead of ten per record (issue 7, docs/benchmarks.md).
//
// Every row has the same height: the template's, at least MinTouchTarget.
type rowList struct {
	widget.BaseWidget
	n      int
	create func() fyne.CanvasObject
	update func(i int, o fyne.CanvasObject)
	// view is the visible band of the enclosing scroll in the list's own
	// coordinates; nil (or a zero height) shows the first rows only.
	view func() (top, height float32)
	// reveal, if set, scrolls row i fully into view (the viewport sets
	// it): a row that takes the keyboard focus calls it.
	reveal func(i int)

	// focusRow is the row whose widget last took the keyboard focus, and
	// focusObj that widget (nil when none, or when the row left the view).
	focusRow int
	focusObj fyne.Focusable

	rowH, minW float32
	width      float32 // the width the live rows were bound at
	live       map[int]fyne.CanvasObject
	pool       []fyne.CanvasObject
	objs       []fyne.CanvasObject // live rows in index order
}

// newRowList returns a list of n rows made by create and bound by update.
func newRowList(n int, create func() fyne.CanvasObject, update func(int, fyne.CanvasObject)) *rowList {
	l := &rowList{n: n, create: create, update: update, live: map[int]fyne.CanvasObject{}}
	l.ExtendBaseWidget(l)
	return l
}

// measure sizes a row from the template once.
func (l *rowList) measure() {
	if l.rowH > 0 {
		return
	}
	tmpl := l.create()
	m := tmpl.MinSize()
	l.pool = append(l.pool, tmpl)
	l.minW = m.Width
	l.rowH = fyne.Max(m.Height, MinTouchTarget) + l.Theme().Size(theme.SizeNamePadding)
}

// rowHeight is the height of every row, padding included.
func (l *rowList) rowHeight() float32 {
	l.measure()
	return l.rowH
}

// MinSize is the template's width and the height of all rows.
func (l *rowList) MinSize() fyne.Size {
	l.measure()
	return fyne.NewSize(l.minW, l.rowH*float32(l.n))
}

// sync binds the rows in view (and half a screen around them), pools
// the others and places them.
func (l *rowList) sync() {
	l.measure()
	first, last := 0, -1
	top, h := float32(0), float32(0)
	if l.view != nil {
		top, h = l.view()
	}
	if h <= 0 {
		h = 8 * l.rowH // no scroll: the first rows
	}
	if l.n > 0 {
		first = max(0, int((top-h/2)/l.rowH))
		last = min(l.n-1, int((top+h+h/2)/l.rowH))
	}
	w := l.Size().Width
	if w <= 0 {
		return // not laid out yet: bind nothing twice
	}
	rebind := w != l.width // rows fit their texts to the width
	l.width = w
	for i, o := range l.live {
		if i < first || i > last {
			delete(l.live, i)
			l.pool = append(l.pool, o)
			if i == l.focusRow {
				l.dropFocus()
			}
		}
	}
	for i := first; i <= last; i++ {
		o, ok := l.live[i]
		if !ok {
			if k := len(l.pool); k > 0 {
				o, l.pool = l.pool[k-1], l.pool[:k-1]
			} else {
				o = l.create()
			}
			l.live[i] = o
		}
		o.Move(fyne.NewPos(0, float32(i)*l.rowH))
		o.Resize(fyne.NewSize(w, l.rowH-l.Theme().Size(theme.SizeNamePadding)))
		if !ok || rebind {
			l.update(i, o)
		}
	}
	l.objs = l.objs[:0]
	for _, i := range l.liveIndexes() {
		l.objs = append(l.objs, l.live[i])
	}
}

// focused tells the list that f, the widget of row i, took the keyboard
// focus (Tab or Shift+Tab): the view scrolls the least that shows the row
// whole, and binds the rows around it, so the next Tab finds the next row.
// Without this, focus could land on a row above or below the view, and
// never reach the rows past the first screenful and a half (issue 7).
func (l *rowList) focused(i int, f fyne.Focusable) {
	l.focusRow, l.focusObj = i, f
	if l.reveal != nil {
		l.reveal(i)
	}
}

// dropFocus takes the keyboard focus off the focused row's widget when the
// row leaves the view (a drag or scroll): the widget goes to the pool and
// is bound to another row, which must not show as focused, nor open on
// Space.
func (l *rowList) dropFocus() {
	f := l.focusObj
	l.focusObj = nil
	if f == nil {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(l); c != nil && c.Focused() == f {
		c.Unfocus()
	}
}

// liveIndexes are the indexes of the rows that exist, in order.
func (l *rowList) liveIndexes() []int {
	return slices.Sorted(maps.Keys(l.live))
}

// row is the live widget of row i, or nil when it is not in view.
func (l *rowList) row(i int) fyne.CanvasObject { return l.live[i] }

// rebindAll binds every live row again (the data behind them changed).
func (l *rowList) rebindAll() {
	for i, o := range l.live {
		l.update(i, o)
	}
}

// each calls f on every row widget, live or pooled: the wipe blanks them
// all.
func (l *rowList) each(f func(fyne.CanvasObject)) {
	for _, o := range l.live {
		f(o)
	}
	for _, o := range l.pool {
		f(o)
	}
}

// CreateRenderer draws the live rows.
func (l *rowList) CreateRenderer() fyne.WidgetRenderer { return &rowListRenderer{l: l} }

type rowListRenderer struct{ l *rowList }

func (r *rowListRenderer) Layout(fyne.Size)             { r.l.sync() }
func (r *rowListRenderer) MinSize() fyne.Size           { return r.l.MinSize() }
func (r *rowListRenderer) Objects() []fyne.CanvasObject { return r.l.objs }
func (r *rowListRenderer) Destroy()                     {}
func (r *rowListRenderer) Refresh() {
	r.l.sync()
	canvas.Refresh(r.l) // rows came and went: draw again
}

// viewport is a scroll whose row lists follow it: scrolling or resizing
// it binds the rows that come into view.
type viewport struct {
	scroll *container.Scroll
	lists  []*rowList
	// onScroll, if set, is told the offset after each scroll (the
	// records screen keeps it to come back to the same place).
	onScroll func(fyne.Position)
}

// newViewport wraps content in a vertical scroll that keeps lists, which
// must be direct children of content, bound to what is in view.
func newViewport(content *fyne.Container, lists ...*rowList) *viewport {
	v := &viewport{lists: lists}
	d := &dragArea{content: content, v: v}
	d.ExtendBaseWidget(d)
	v.scroll = container.NewVScroll(d)
	for _, l := range lists {
		l.view = func() (float32, float32) {
			return v.scroll.Offset.Y - l.Position().Y, v.scroll.Size().Height
		}
		l.reveal = func(i int) { v.revealRow(l, i) }
	}
	v.scroll.OnScrolled = func(p fyne.Position) {
		v.sync()
		if v.onScroll != nil {
			v.onScroll(p)
		}
	}
	return v
}

// sync binds each list's rows to the current view.
func (v *viewport) sync() {
	for _, l := range v.lists {
		l.sync()
		l.Refresh()
	}
}

// object is the scroll inside a layout that syncs the lists after each
// resize (a taller window shows more rows).
func (v *viewport) object() fyne.CanvasObject {
	return container.New(&viewportLayout{v: v}, v.scroll)
}

// scrollBy moves the view by dy (a drag: negative moves the content up,
// showing what is below), within the content.
func (v *viewport) scrollBy(dy float32) {
	end := v.scroll.Content.MinSize().Height - v.scroll.Size().Height
	y := min(max(v.scroll.Offset.Y-dy, 0), max(end, 0))
	if y == v.scroll.Offset.Y {
		return
	}
	v.scrollTo(y)
}

// dragArea is a viewport's content: a drag anywhere on it scrolls. Fyne's
// Scroll follows drags only on mobile drivers, and the kiosk's touch screen
// comes through the desktop driver as a mouse, so without this a finger
// could not scroll the records. Taps still reach the rows' buttons (a
// Button is not Draggable).
type dragArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	v       *viewport
}

var _ fyne.Draggable = (*dragArea)(nil)

// CreateRenderer draws the content.
func (d *dragArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(d.content) }

// Dragged scrolls by the drag.
func (d *dragArea) Dragged(e *fyne.DragEvent) { d.v.scrollBy(e.Dragged.DY) }

// DragEnd ends a drag (nothing to do: no inertia).
func (d *dragArea) DragEnd() {}

// scrollToRow scrolls so that row i of l is at the top of the view.
func (v *viewport) scrollToRow(l *rowList, i int) {
	v.scrollTo(l.Position().Y + float32(i)*l.rowHeight())
}

// revealRow scrolls the least that shows row i of l whole: up to its top
// when it is above the view (or taller than it), down to its bottom when
// it is below; not at all when it is in view already.
func (v *viewport) revealRow(l *rowList, i int) {
	h := v.scroll.Size().Height
	if h <= 0 {
		return // not laid out yet
	}
	top := l.Position().Y + float32(i)*l.rowHeight()
	bottom := top + l.rowHeight() - l.Theme().Size(theme.SizeNamePadding)
	y := v.scroll.Offset.Y
	switch {
	case top < y:
		y = top
	case bottom > y+h:
		y = min(bottom-h, top)
	default:
		return
	}
	v.scrollTo(y)
}

// scrollTo puts the view's top at y, binds the rows now in view and tells
// onScroll.
func (v *viewport) scrollTo(y float32) {
	v.scroll.ScrollToOffset(fyne.NewPos(0, y))
	v.sync()
	if v.onScroll != nil {
		v.onScroll(v.scroll.Offset)
	}
}

type viewportLayout struct{ v *viewport }

func (vl *viewportLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	vl.v.sync()
}

func (vl *viewportLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}

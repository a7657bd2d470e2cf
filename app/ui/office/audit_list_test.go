package office

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// assertAuditRowsDrawn scrolls the inquiry log's list from the top to
// the bottom with the mouse wheel, half its height at a time, and checks
// that every row of the page is drawn whole inside the list with its
// texts at some point, and that nothing shown is ever cut or drawn over
// something else (rows scrolled out of the list are clipped, so they do
// not count): the rows the list only builds when they scroll into view
// are checked as the supervisor sees them.
//
// The tab is drawn afresh first: test.LaidOutObjects (texts, shows)
// makes a widget.List a second, uncached renderer, after which the list
// updates that one and not the one drawn.
func (d *desk) assertAuditRowsDrawn(t *testing.T, name string) {
	t.Helper()
	d.ui.render()
	d.pump()
	a := &d.ui.auTab
	if len(a.rows) == 0 {
		return
	}
	index := map[[auditCols]string]int{}
	for i, r := range a.rows {
		index[r] = i
	}
	sc := test.WidgetRenderer(a.list).Objects()[0].(*container.Scroll)
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(a.list).Y
	bottom := top + a.list.Size().Height
	pad := theme.InnerPadding() // the blank under a label's last line may run under the list's end
	seen := map[int]bool{}
	for step := 0; ; step++ {
		inList := map[*widget.Label]*auditLine{}
		for _, l := range a.lines {
			for _, c := range l.cells {
				inList[c] = l
			}
		}
		var shown []placedLabel // the labels a supervisor sees
		for _, p := range drawnLabels(d.w) {
			l, ok := inList[p.l]
			if !ok {
				shown = append(shown, p)
				continue
			}
			if p.at.Y+0.5 < top || p.at.Y+l.box.Size().Height > bottom+pad {
				continue // clipped by the list, at least in part
			}
			shown = append(shown, p)
			if i, ok := index[l.texts()]; ok && p.l == l.cells[0] {
				seen[i] = true
			}
		}
		if faults := labelFaults(shown, d.w.Canvas().Size()); len(faults) > 0 {
			t.Errorf("%s: scrolled %v down: %q", name, sc.Offset.Y, faults)
		}
		before := sc.Offset.Y
		sc.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -sc.Size().Height / 2}})
		d.pump()
		if sc.Offset.Y == before || step > 4*len(a.rows) {
			break
		}
	}
	for i, r := range a.rows {
		if !seen[i] {
			t.Errorf("%s: row %d %q is never drawn whole in the list", name, i, r)
		}
	}
	if tall := sc.Content.MinSize().Height >= 2*sc.Size().Height; tall && len(a.lines) >= len(a.rows) {
		t.Errorf("%s: the list built %d rows for a page of %d: want only those in view", name, len(a.lines), len(a.rows))
	}
}

// texts is what the line shows.
func (l *auditLine) texts() (out [auditCols]string) {
	for i, c := range l.cells {
		out[i] = c.Text
	}
	return out
}

// TestAuditListRows: a full page of the inquiry log builds only the rows
// in view, and every row, scrolled to, is drawn whole with its texts and
// apart from its neighbours, in zh and en, at 1024×768 and 1920×1080 and
// after the window narrows (the rows' heights follow the width).
func TestAuditListRows(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDesk(t, lang)
			d.logInquiries(t, app.AuditPageSize+3)
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: app.AuditPageSize + 3}
			d.logIn(t, "S001", clerkPassword)
			d.w.Resize(fyne.NewSize(1920, 1080))
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			a := &d.ui.auTab
			if len(a.rows) != app.AuditPageSize {
				t.Fatalf("%d rows, want %d", len(a.rows), app.AuditPageSize)
			}
			for _, size := range []fyne.Size{{Width: 1920, Height: 1080}, {Width: 1024, Height: 768}} {
				d.w.Resize(size)
				d.pump()
				d.assertAuditRowsDrawn(t, fmt.Sprint(size))
			}
		})
	}
}

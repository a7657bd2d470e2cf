package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/gansu-credit/credit/app/apptest"
)

// focusedRow is the index of the record row whose button has the canvas's
// focus, or -1.
func focusedRow(c fyne.Canvas, l *rowList) int {
	for _, i := range l.liveIndexes() {
		if r := l.row(i).(*recordRow); r.id != "" && c.Focused() == r.btn {
			return i
		}
	}
	return -1
}

// rowBand is row i's top and bottom in the viewport's content.
func rowBand(l *rowList, i int) (top, bottom float32) {
	top = l.Position().Y + float32(i)*l.rowHeight()
	return top, top + l.rowHeight() - l.Theme().Size(theme.SizeNamePadding)
}

// TestTabReachesEveryRecord: with 2,000 records, keyboard focus walks the
// record rows one by one with Tab, past the rows first bound (row 200 and
// on), each focused row whole in the view, the view moving only as far as
// needed (the row's bottom at the view's bottom going down, its top at
// the view's top going up); Shift+Tab walks back the same way to the
// first record, and Space on it opens it. For the holder and a business.
func TestTabReachesEveryRecord(t *testing.T) {
	const n, steps = 2000, 240
	tests := recordListCases(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, true)
			k.putManyRecords(tt.subject, n)
			k.w.Resize(fyne.NewSize(1024, 768))
			tt.open(k)
			rows, list, vp := tt.list(k.ui)
			var recs []int // the record rows' indexes, in order
			for i, r := range rows {
				if r.rec != nil {
					recs = append(recs, i)
				}
			}
			if len(recs) < steps+1 {
				t.Fatalf("%d record rows", len(recs))
			}
			c := k.w.Canvas()
			h := vp.scroll.Size().Height
			// check asserts that record row recs[j] has the focus and is
			// whole in the view, the view having moved only if it had to.
			check := func(step string, j int, before float32, down bool) {
				t.Helper()
				i := recs[j]
				if got := focusedRow(c, list); got != i {
					t.Fatalf("%s: focus on row %d, want row %d (%s)", step, got, i, rows[i].rec.ID)
				}
				top, bottom := rowBand(list, i)
				y := vp.scroll.Offset.Y
				if top < y-0.5 || bottom > y+h+0.5 {
					t.Fatalf("%s: row %d spans %v–%v, outside the view %v–%v", step, i, top, bottom, y, y+h)
				}
				switch {
				case y == before:
				case down && abs32(bottom-(y+h)) > 0.5:
					t.Fatalf("%s: the view moved from %v to %v, not just enough to show row %d (bottom %v)", step, before, y, i, bottom)
				case !down && abs32(top-y) > 0.5:
					t.Fatalf("%s: the view moved from %v to %v, not just enough to show row %d (top %v)", step, before, y, i, top)
				}
			}

			c.Focus(list.row(recs[0]).(*recordRow).btn)
			check("focus on the first record", 0, 0, true)
			for j := 1; j <= steps; j++ {
				before := vp.scroll.Offset.Y
				test.FocusNext(c)
				check("Tab", j, before, true)
			}
			if vp.scroll.Offset.Y <= 0 {
				t.Fatal("the view never moved")
			}
			if !shows(k.w, rows[recs[steps]].rec.Title) {
				t.Errorf("%s, focused, is not shown", rows[recs[steps]].rec.Title)
			}
			for j := steps - 1; j >= 0; j-- {
				before := vp.scroll.Offset.Y
				test.FocusPrevious(c)
				check("Shift+Tab", j, before, false)
			}
			c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
			if k.ui.screen != screenRecord || k.ui.page.id != rows[recs[0]].rec.ID {
				t.Errorf("Space on the first record's row: screen %d, record %q", k.ui.screen, k.ui.page.id)
			}
			test.Tap(k.ui.page.backBtn)
			if k.ui.screen != tt.from {
				t.Errorf("Back: screen %d", k.ui.screen)
			}
		})
	}
}

// TestFocusLeavesScrolledAwayRow: a focused row dragged far out of view
// loses the focus, so its widget, bound again to a row coming in, neither
// shows as focused nor opens on Space; Tab then starts over.
func TestFocusLeavesScrolledAwayRow(t *testing.T) {
	k := newKiosk(t, true)
	subjects, _ := apptest.FixtureData()
	k.mem.Put(subjects[0], manyRecords(subjects[0].ID, 2000)...)
	k.w.Resize(fyne.NewSize(1024, 768))
	k.readCard(t)
	u, c := k.ui, k.w.Canvas()
	list := u.records.list
	i := slices.IndexFunc(u.records.rows, func(r listRow) bool { return r.rec != nil })
	btn := list.row(i).(*recordRow).btn
	c.Focus(btn)
	if c.Focused() != btn {
		t.Fatal("the first record's row did not take the focus")
	}
	test.Drag(c, fyne.NewPos(500, 500), 0, -5000)
	if list.row(i) != nil {
		t.Fatal("the first record's row is still bound after the drag")
	}
	if f := c.Focused(); f != nil {
		t.Errorf("focus still on %T after its row left the view", f)
	}
	for _, j := range list.liveIndexes() {
		if r := list.row(j).(*recordRow); c.Focused() == r.btn {
			t.Errorf("row %d (%s) shows the focus of a row that left the view", j, r.id)
		}
	}
	test.FocusNext(c)
	if c.Focused() == nil {
		t.Error("Tab finds nothing to focus after the drag")
	}
}

func abs32(f float32) float32 { return max(f, -f) }

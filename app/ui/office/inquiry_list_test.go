package office

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// bulkRecords are n records of subject over the three categories, each
// with its own title and document number.
func bulkRecords(subject string, n int) []credit.Record {
	out := make([]credit.Record, n)
	for i := range out {
		out[i] = credit.Record{ID: fmt.Sprintf("bulk-%04d", i), SubjectID: subject, Category: credit.Categories[i*3/n],
			Title: fmt.Sprintf("记录 %04d", i), SourceUnit: "兰州市市场监督管理局", DocumentNo: fmt.Sprintf("文号〔2025〕%d号", i),
			LegalBasis: "《行政许可法》第三十九条", DecisionDate: friday.AddDate(0, 0, -i), UnderObjection: i%7 == 0}
	}
	return out
}

// tapRow clicks the list item drawn around the row that shows title;
// false when no such row is in the window's tree (a recycled row may
// still hold an old text off the canvas).
func (d *desk) tapRow(title string) bool {
	var item fyne.Tappable
	var walk func(o fyne.CanvasObject, parent fyne.Tappable)
	walk = func(o fyne.CanvasObject, parent fyne.Tappable) {
		if item != nil || o == nil || !o.Visible() {
			return
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, r := range d.ui.inqTab.rows {
				if r.box == c && r.title.Text == title {
					item = parent
					return
				}
			}
			for _, k := range c.Objects {
				walk(k, parent)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			if tp, ok := o.(fyne.Tappable); ok {
				parent = tp
			}
			for _, k := range test.WidgetRenderer(w).Objects() {
				walk(k, parent)
			}
		}
	}
	walk(d.w.Canvas().Content(), nil)
	if item == nil {
		return false
	}
	item.Tapped(&fyne.PointEvent{})
	return true
}

// shownDoc reports whether the detail pane shows rec's document number.
func (d *desk) shownDoc(rec credit.Record) bool {
	want := tf(d.ui.lang, msgDocumentNo, rec.DocumentNo)
	for _, l := range d.ui.inqTab.details {
		if l.Text == want {
			return true
		}
	}
	return false
}

// TestInquiryThousandsOfRecords: a business with 2,000 records. The
// authorised-inquiry view makes a bounded number of row widgets; the last
// record is reachable; a click on a far row and the keyboard (Up, Space)
// open the right detail; a language switch keeps it; logging out leaves no
// record text in any row, shown or recycled, nor in the detail.
func TestInquiryThousandsOfRecords(t *testing.T) {
	const n = 2000
	const maxRows = 60 // a 1024×768 window shows about a dozen
	d := newDesk(t, ui.Chinese)
	d.mem.Put(credit.Subject{ID: apptest.OrgID, Kind: credit.LegalPerson, Name: apptest.OrgName, Region: "620102", Version: 1}, bulkRecords(apptest.OrgID, n)...)
	d.logIn(t, "C001", clerkPassword)
	d.inquire(apptest.OrgID, 0, "")
	v := &d.ui.inqTab
	if d.ui.inq.view == nil || len(v.recs) < n {
		t.Fatalf("inquiry: %d records shown, message %q", len(v.recs), d.ui.message.Text)
	}
	if len(v.rows) == 0 || len(v.rows) > maxRows {
		t.Fatalf("%d row widgets for %d records, want 1..%d", len(v.rows), len(v.recs), maxRows)
	}
	if len(v.details) != 0 {
		t.Errorf("a detail is shown before any selection")
	}

	last := v.recs[len(v.recs)-1]
	v.list.ScrollToBottom()
	if !shows(d.w, last.Title) {
		t.Fatalf("the last record %q is not reachable", last.Title)
	}
	if !d.tapRow(last.Title) {
		t.Fatalf("no row shows %q after scrolling to the end", last.Title)
	}
	if d.ui.inq.selected != len(v.recs)-1 || !d.shownDoc(last) || !shows(d.w, last.LegalBasis) {
		t.Fatalf("a click on the last row shows record %d", d.ui.inq.selected)
	}
	// Keyboard: the click gave the list the focus; Up then Space opens the one before.
	prev := v.recs[len(v.recs)-2]
	d.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	d.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if d.ui.inq.selected != len(v.recs)-2 || !d.shownDoc(prev) || d.shownDoc(last) {
		t.Fatalf("Up, Space: record %d shown, want %d", d.ui.inq.selected, len(v.recs)-2)
	}
	if len(v.rows) > maxRows {
		t.Errorf("%d row widgets after scrolling, want at most %d", len(v.rows), maxRows)
	}

	// A far row in the middle.
	far := 1234
	v.list.Select(far) // as the keyboard's Space on a focused row does
	if d.ui.inq.selected != far || !d.shownDoc(v.recs[far]) {
		t.Fatalf("a click on row %d shows record %d", far, d.ui.inq.selected)
	}
	objection := v.recs[far].UnderObjection
	if got := shows(d.w, "异议处理中"); objection && !got {
		t.Errorf("the far record is under objection but it is not said")
	}

	// A language switch keeps the record shown.
	test.Tap(d.ui.langBtn)
	v = &d.ui.inqTab
	if !d.shownDoc(v.recs[far]) {
		t.Errorf("after switching language the detail of row %d is gone", far)
	}

	// Logging out blanks every row and the detail.
	rows := append([]*inquiryRow(nil), v.rows...)
	details := append([]*widget.Label(nil), v.details...)
	test.Tap(d.ui.logoutBtn)
	for _, r := range rows {
		for _, l := range r.labels() {
			if l.Text != "" {
				t.Fatalf("a row still holds %q after logout", l.Text)
			}
		}
	}
	for _, l := range details {
		if l.Text != "" {
			t.Fatalf("the detail still holds %q after logout", l.Text)
		}
	}
	if shows(d.w, "记录 ") || shows(d.w, apptest.OrgName) || strings.Contains(d.ui.message.Text, "记录") {
		t.Error("a record is still on screen after logout")
	}
}

package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// manyRecords are n records of subject, spread over the three categories,
// each with a title and document number of its own ("记录 0042",
// "文号〔2025〕42号").
func manyRecords(subject string, n int) []credit.Record {
	out := make([]credit.Record, n)
	for i := range out {
		out[i] = credit.Record{ID: fmt.Sprintf("bulk-%04d", i), SubjectID: subject, Category: credit.Categories[i*3/n],
			Title: fmt.Sprintf("记录 %04d", i), SourceUnit: "兰州市市场监督管理局", DocumentNo: fmt.Sprintf("文号〔2025〕%d号", i),
			LegalBasis: "《行政许可法》第三十九条", DecisionDate: friday.AddDate(0, 0, -i)}
	}
	return out
}

// liveRows counts the record rows and kiosk buttons in the window's
// canvas tree: the widgets that exist, whatever the list says.
func liveRows(w fyne.Window) (rows, buttons int) {
	for _, o := range test.LaidOutObjects(w.Canvas().Content()) {
		switch o.(type) {
		case *recordRow:
			rows++
		case *kioskwidget.Button:
			buttons++
		}
	}
	return rows, buttons
}

// TestThousandsOfRecords: a holder with 2,000 records and 500 logged
// inquiries, and a business with 2,000 records. The screen opens with a
// bounded number of row widgets; a touch drag and scrolling to the end
// bind the rows that come into view (the last record shows); a tap on a
// far row opens that record; for the holder, Finish leaves no record text
// in any row widget, live or pooled, nor on the opened record.
func TestThousandsOfRecords(t *testing.T) {
	const n = 2000
	const maxRows = 80 // rows live at 1080×1920: in view plus half a screen each side
	tests := recordListCases(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, true)
			k.putManyRecords(tt.subject, n)
			for i := range 500 {
				_ = k.mem.LogInquiry(t.Context(), credit.Inquiry{SubjectID: apptest.PersonID, InquirerKind: credit.InquirerClerk, Channel: fmt.Sprintf("窗口 %03d", i), At: friday.Add(-time.Duration(i) * time.Hour)})
			}
			k.w.Resize(fyne.NewSize(1080, 1920))
			tt.open(k)
			u := k.ui
			rows, list, vp := tt.list(u)
			if got := recordRowCount(rows); got < n {
				t.Fatalf("%d record rows, want at least %d", got, n)
			}
			live, buttons := liveRows(k.w)
			if live == 0 || live > maxRows || buttons > maxRows+10 {
				t.Fatalf("%d row widgets and %d buttons live for %d records", live, buttons, n)
			}
			if !shows(k.w, "记录 0000") || shows(k.w, "记录 1999") {
				t.Fatal("the list does not start at the first record")
			}

			// A touch drag up scrolls the list: later rows come in.
			test.Drag(k.w.Canvas(), fyne.NewPos(500, 900), 0, -3000)
			if vp.scroll.Offset.Y <= 0 || shows(k.w, "记录 0000") || !shows(k.w, "记录 00") {
				t.Errorf("after a drag: offset %v, first row still shown %v", vp.scroll.Offset.Y, shows(k.w, "记录 0000"))
			}
			vp.scrollToRow(list, len(rows)-1)
			if !shows(k.w, "记录 1999") {
				t.Error("the last record is not shown at the end of the list")
			}
			if live, _ := liveRows(k.w); live == 0 || live > maxRows {
				t.Errorf("%d row widgets live at the end", live)
			}

			// A far row opens the right record.
			page := openRecord(t, u, "bulk-1500")
			if page.card.Title != "记录 1500" || !strings.Contains(labelTexts(page.details), "文号〔2025〕1500号") {
				t.Fatalf("row of bulk-1500 opened %q", page.card.Title)
			}
			test.Tap(u.page.backBtn)
			if !shows(k.w, "记录 1500") {
				t.Error("Back did not return to the same place in the list")
			}

			if tt.subject != apptest.PersonID {
				return // public data: no session to wipe
			}
			var widgets []*recordRow // the first list's, and the one shown now
			for _, l := range []*rowList{list, u.records.list} {
				l.each(func(o fyne.CanvasObject) { widgets = append(widgets, o.(*recordRow)) })
			}
			pageView := openRecord(t, u, "bulk-0007")
			u.finish()
			for _, r := range widgets {
				if txt := r.title.Text + r.when.Text + r.head.Text + r.empty.Text; txt != "" || r.btn.OnTapped != nil {
					t.Fatalf("a row widget still holds %q after Finish", txt)
				}
			}
			if pageView.card.Title != "" || strings.TrimSpace(labelTexts(pageView.details)) != "" {
				t.Errorf("the opened record still holds %q", pageView.card.Title)
			}
			if shows(k.w, "记录 ") || shows(k.w, apptest.PersonName) {
				t.Error("a record or the name is on screen after Finish")
			}
		})
	}
}

// TestInquiryListIsVirtual: 500 logged inquiries about the holder make a
// bounded number of label rows, and the oldest shows at the end.
func TestInquiryListIsVirtual(t *testing.T) {
	k := newKiosk(t, true)
	for i := range 500 {
		_ = k.mem.LogInquiry(t.Context(), credit.Inquiry{SubjectID: apptest.PersonID, InquirerKind: credit.InquirerClerk, Channel: fmt.Sprintf("窗口 %03d", i), At: friday.Add(-time.Duration(i) * time.Hour)})
	}
	k.w.Resize(fyne.NewSize(1024, 768))
	k.readCard(t)
	u := k.ui
	if u.records.inquiries.n != 501 { // 500 and this card read
		t.Fatalf("%d inquiries listed", u.records.inquiries.n)
	}
	if live := len(u.records.inquiries.live); live > 40 {
		t.Errorf("%d inquiry rows live", live)
	}
	u.records.viewport.scroll.ScrollToBottom()
	if !shows(k.w, "窗口 000") {
		t.Errorf("the oldest inquiry is not shown at the end:\n%s", liveTexts(u.records.inquiries))
	}
	if live := len(u.records.inquiries.live); live == 0 || live > 40 {
		t.Errorf("%d inquiry rows live at the end", live)
	}
	u.finish()
	if shows(k.w, "窗口") {
		t.Error("an inquiry is on screen after Finish")
	}
}

// TestLongTitlesFit: a record title far wider than the window ends in an
// ellipsis inside its row (nothing past the window's edge, the date still
// shown); a short one is shown whole, at 1024×768 and in portrait.
func TestLongTitlesFit(t *testing.T) {
	long := strings.Repeat("行政许可：食品经营许可证核发（含网络经营）", 8)
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1080, Height: 1920}} {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			k := newKiosk(t, true)
			subjects, _ := apptest.FixtureData()
			recs := manyRecords(apptest.PersonID, 3)
			recs[0].Title = long
			k.mem.Put(subjects[0], recs...)
			k.w.Resize(size)
			k.readCard(t)
			checkFits(t, k.w, "records")
			var seen int
			for _, i := range k.ui.records.list.liveIndexes() {
				r := k.ui.records.list.row(i).(*recordRow)
				switch r.title.Text {
				case long:
					seen++
					if r.title.Truncation != fyne.TextTruncateEllipsis || r.when.Text == "" {
						t.Errorf("the long title is not ellipsised (truncation %v, date %q)", r.title.Truncation, r.when.Text)
					}
				case "记录 0001":
					seen++
					if r.title.Truncation != fyne.TextTruncateOff {
						t.Error("a short title is truncated")
					}
				}
			}
			if seen != 2 {
				t.Errorf("%d of the two titles found in live rows", seen)
			}
		})
	}
}

// TestRecordRowsKeyboardOrder: Tab walks the record rows top to bottom, in
// the list's order, and Return on a focused row opens that record.
func TestRecordRowsKeyboardOrder(t *testing.T) {
	k := newKiosk(t, true)
	k.readCard(t)
	u := k.ui
	c := k.w.Canvas()
	var order []string // record ids in focus order
	for range 40 {
		test.FocusNext(c)
		for _, i := range u.records.list.liveIndexes() {
			if r := u.records.list.row(i).(*recordRow); r.id != "" && c.Focused() == r.btn {
				order = append(order, r.id)
			}
		}
	}
	var want []string
	for _, r := range u.records.rows {
		if r.rec != nil {
			want = append(want, r.rec.ID)
		}
	}
	if got := strings.Join(order, " "); !strings.HasPrefix(got, strings.Join(want, " ")) {
		t.Fatalf("focus order %q, want the rows' order %q first", got, want)
	}
	first := fyne.Focusable(u.records.list.row(1).(*recordRow).btn) // row 0 is a heading
	for i := 0; c.Focused() != first; i++ {
		if i > 40 {
			t.Fatal("Tab never reaches the first record's row")
		}
		test.FocusNext(c)
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.screen != screenRecord || u.page.id != want[0] {
		t.Errorf("Return on the first record's row: screen %d, record %q", u.screen, u.page.id)
	}
}

// recordListCase is a kiosk screen with a virtual records list and how to
// reach it: the holder's records and a business's.
type recordListCase struct {
	name    string
	subject string // whose records fill the list
	open    func(k *kiosk)
	list    func(u *UI) ([]listRow, *rowList, *viewport)
	from    screen // the screen the list is on
}

func recordListCases(t *testing.T) []recordListCase {
	return []recordListCase{
		{"holder", apptest.PersonID, func(k *kiosk) { k.readCard(t) }, func(u *UI) ([]listRow, *rowList, *viewport) {
			return u.records.rows, u.records.list, u.records.viewport
		}, screenRecords},
		{"business", apptest.Org2ID, func(k *kiosk) {
			test.Tap(k.ui.home.searchBtn)
			test.Type(k.ui.search.entry, "物流")
			test.Tap(k.ui.search.searchBtn)
			test.Tap(k.ui.search.results[0])
		}, func(u *UI) ([]listRow, *rowList, *viewport) {
			return u.orgView.rows, u.orgView.list, u.orgView.viewport
		}, screenOrg},
	}
}

// putManyRecords gives the fixture subject id n records (manyRecords).
func (k *kiosk) putManyRecords(id string, n int) {
	subjects, _ := apptest.FixtureData()
	subject := subjects[slices.IndexFunc(subjects, func(s credit.Subject) bool { return s.ID == id })]
	k.mem.Put(subject, manyRecords(subject.ID, n)...)
}

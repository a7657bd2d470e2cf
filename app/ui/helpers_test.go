package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/ui/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// friday is 2026-11-27 10:00 China time, a Friday.
var friday = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)

type kiosk struct {
	ui   *UI
	w    fyne.Window
	mem  *apptest.Mem
	card *apptest.Card
	svc  *app.Service
	q    chan func() // the "UI thread" queue, drained by pump
	ts   *timers     // recorded idle timers, when a test injects them
}

// opts wires the UI to the test goroutine: service calls run at once and
// everything meant for the UI thread is queued and run by pump, as the
// real driver runs fyne.Do functions on the main goroutine.
func (k *kiosk) opts() Options {
	return Options{
		Go: func(f func()) { f(); k.pump() },
		Do: func(f func()) { k.q <- f },
	}
}

// pump runs the queued UI-thread functions on the test goroutine.
func (k *kiosk) pump() {
	for {
		select {
		case f := <-k.q:
			f()
		default:
			return
		}
	}
}

// waitFor pumps the UI queue until cond holds (events arrive from the
// service's feed on another goroutine).
func (k *kiosk) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for k.pump(); !cond(); k.pump() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// newKiosk shows the kiosk over the fixture in a 1024×1400 test window.
// Service calls run synchronously, so each tap completes before the next.
func newKiosk(t *testing.T, withReader bool) *kiosk {
	t.Helper()
	test.NewTempApp(t)
	k := &kiosk{mem: apptest.Fixture(friday.Add(-time.Hour)), card: apptest.NewCard(apptest.PersonCard(), nil), q: make(chan func(), 4096)}
	deps := app.Deps{Records: k.mem, Inquiries: k.mem, Applications: k.mem, DeviceID: apptest.DeviceID, Now: func() time.Time { return friday }}
	if withReader {
		deps.Card = k.card
	}
	k.svc = app.New(deps)
	k.ui = New(k.svc, k.opts())
	k.w = test.NewTempWindow(t, nil)
	k.ui.Show(k.w)
	k.w.Resize(fyne.NewSize(1024, 1400))
	t.Cleanup(func() { k.ui.Close() })
	return k
}

// watchEmptyReader empties the reader and runs the service's card watch
// (1 ms poll) until the test ends.
func (k *kiosk) watchEmptyReader(t *testing.T) {
	k.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = k.svc.RunCardWatch(ctx, time.Millisecond) }()
	t.Cleanup(func() { stop(); <-done })
}

// readCard taps the read button and expects the records screen.
func (k *kiosk) readCard(t *testing.T) {
	t.Helper()
	test.Tap(k.ui.home.readCardBtn)
	if k.ui.screen != screenRecords {
		t.Fatalf("after reading the card the screen is %d (message %q)", k.ui.screen, k.ui.message.Text)
	}
}

// texts returns every text drawn on the window, overlays included.
func texts(w fyne.Window) []string { return uitest.Texts(w) }

// shows reports whether some text on the window contains s.
func shows(w fyne.Window, s string) bool { return uitest.Shows(w, s) }

// labelTexts joins the labels' texts.
func labelTexts(ls []*widget.Label) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// openRecord scrolls the records list (or, on a business's screen, its
// list) to record id's row, taps the row and returns the opened record's
// card. From an opened record it goes back to the list first.
func openRecord(t testing.TB, u *UI, id string) *recordView {
	t.Helper()
	if u.screen == screenRecord {
		test.Tap(u.page.backBtn)
	}
	rows, list, vp := u.records.rows, u.records.list, u.records.viewport
	if u.screen == screenOrg {
		rows, list, vp = u.orgView.rows, u.orgView.list, u.orgView.viewport
	}
	i := slices.IndexFunc(rows, func(r listRow) bool { return r.rec != nil && r.rec.ID == id })
	if i < 0 || list == nil {
		t.Fatalf("record %s is not in the list of screen %d", id, u.screen)
	}
	vp.scrollToRow(list, i)
	row, ok := list.row(i).(*recordRow)
	if !ok || row.id != id {
		t.Fatalf("row %d of record %s is not live after scrolling to it", i, id)
	}
	test.Tap(row.btn)
	if u.screen != screenRecord || u.page.view == nil {
		t.Fatalf("tapping record %s: screen %d", id, u.screen)
	}
	return u.page.view
}

// groupOf returns category c's heading text, its number of record rows
// and its "no records" line in rows.
func groupOf(rows []listRow, c credit.Category) (heading string, records int, empty string) {
	for _, r := range rows {
		if r.category != c {
			continue
		}
		switch {
		case r.rec != nil:
			records++
		case r.heading != "":
			heading = r.heading
		default:
			empty = r.empty
		}
	}
	return heading, records, empty
}

// liveTexts joins the texts of l's live rows, in order.
func liveTexts(l *rowList) string {
	var b strings.Builder
	for _, i := range l.liveIndexes() {
		switch x := l.row(i).(type) {
		case *widget.Label:
			b.WriteString(x.Text)
		case *recordRow:
			b.WriteString(x.head.Text + x.empty.Text + x.title.Text + "  " + x.when.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// recordRowCount is the number of record rows in rows.
func recordRowCount(rows []listRow) int {
	n := 0
	for _, r := range rows {
		if r.rec != nil {
			n++
		}
	}
	return n
}

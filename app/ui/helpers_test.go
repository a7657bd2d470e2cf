package ui

import (
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

package office

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/ui/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// friday is 2026-11-27 10:00 China time, a Friday.
var friday = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)

const clerkPassword = "s3cret-pass"

// timers records the idle checks the UI schedules.
type timers struct {
	d []time.Duration
	f []func()
}

func (ts *timers) after(d time.Duration, f func()) func() bool {
	ts.d, ts.f = append(ts.d, d), append(ts.f, f)
	return func() bool { return true }
}

// fire runs the most recent timer.
func (ts *timers) fire() { ts.f[len(ts.f)-1]() }

type desk struct {
	ui     *UI
	w      fyne.Window
	office *app.Office
	mem    *apptest.Mem
	clerks *apptest.Clerks
	queue  *apptest.Queue
	svc    *app.Service // the event source of the sync panel
	wakes  int          // "sync now" requests that reached the sync loop
	store  *apptest.Desk
	card   *apptest.Card
	audit  app.AuditResult
	now    time.Time
	timers *timers
	q      chan func()
}

// pump runs the queued UI-thread functions on the test goroutine.
func (d *desk) pump() {
	for {
		select {
		case f := <-d.q:
			f()
		default:
			return
		}
	}
}

func (d *desk) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for d.pump(); !cond(); d.pump() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// newDesk shows the office UI over in-memory ports with one clerk, C001;
// opts change the office's parts before it is built.
func newDesk(t testing.TB, lang ui.Lang, opts ...func(*app.OfficeDeps)) *desk {
	t.Helper()
	test.NewTempApp(t)
	d := &desk{mem: apptest.Fixture(friday.Add(-time.Hour)), clerks: apptest.NewClerks(), queue: &apptest.Queue{}, now: friday, timers: &timers{}, q: make(chan func(), 4096)}
	clock := func() time.Time { return d.now }
	d.store, d.card = apptest.NewDesk(d.queue), apptest.NewCard(apptest.PersonCard(), nil)
	deps := app.OfficeDeps{Clerks: d.clerks, Records: d.mem, Inquiries: d.mem, Queue: d.queue,
		Intake: d.store, Evidence: d.store, Settings: d.store, Card: d.card,
		ReaderPorts: func() []string { return []string{"/dev/ttyUSB0", "/dev/ttyUSB1"} },
		VerifyAudit: func(context.Context) (app.AuditResult, error) { return d.audit, nil },
		Now:         clock, Argon2: apptest.FastArgon2, DeviceID: "office-620102"}
	for _, o := range opts {
		o(&deps)
	}
	d.office = app.NewOffice(deps)
	for _, c := range []credit.Clerk{{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, {ID: "S001", Name: "李强", Role: credit.RoleSupervisor}} {
		if err := d.office.AddClerk(t.Context(), c, clerkPassword); err != nil {
			t.Fatal(err)
		}
	}
	d.svc = app.New(app.Deps{Records: d.mem, Inquiries: d.mem, Applications: d.mem, Now: clock, SyncNow: func() { d.wakes++ }})
	d.ui = New(d.office, Options{
		Lang: lang, Events: d.svc,
		Go:        func(f func()) { f(); d.pump() },
		Do:        func(f func()) { d.q <- f },
		AfterFunc: d.timers.after,
	})
	d.w = test.NewTempWindow(t, nil)
	d.ui.Show(d.w)
	d.w.Resize(fyne.NewSize(1024, 768))
	t.Cleanup(func() { d.ui.Close() })
	return d
}

// logIn types the credentials and presses the login button.
func (d *desk) logIn(t testing.TB, id, pw string) {
	t.Helper()
	d.ui.login.id.SetText("")
	test.Type(d.ui.login.id, id)
	test.Type(d.ui.login.password, pw)
	test.Tap(d.ui.login.loginBtn)
}

// texts returns every text drawn on the window, overlays included.
func texts(w fyne.Window) []string { return uitest.Texts(w) }

// shows reports whether some text on the window contains s.
func shows(w fyne.Window, s string) bool { return uitest.Shows(w, s) }

// savePNG writes the window's current frame to dir/name, to look at.
func (d *desk) savePNG(t *testing.T, dir, name string) {
	t.Helper()
	if err := uitest.SavePNG(d.w, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

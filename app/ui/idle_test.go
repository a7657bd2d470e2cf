package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app/apptest"
)

// timers records the idle timers the UI schedules.
type timers struct {
	d       []time.Duration
	f       []func()
	stopped []bool
}

func (ts *timers) after(d time.Duration, f func()) func() bool {
	i := len(ts.f)
	ts.d, ts.f, ts.stopped = append(ts.d, d), append(ts.f, f), append(ts.stopped, false)
	return func() bool { was := !ts.stopped[i]; ts.stopped[i] = true; return was }
}

func TestIdleSessionEnds(t *testing.T) {
	k := newKiosk(t, true)
	ts := &timers{}
	// Rebuild the UI with the recording timer.
	k.ui.Close()
	o := k.opts()
	o.IdleTimeout, o.AfterFunc = 90*time.Second, ts.after
	k.ui = New(k.svc, o)
	k.ui.Show(k.w)
	u := k.ui

	if len(ts.f) != 0 {
		t.Fatalf("%d idle timers without a session", len(ts.f))
	}
	k.readCard(t)
	if len(ts.f) != 1 || ts.d[0] != 90*time.Second {
		t.Fatalf("timers after reading the card: %v", ts.d)
	}
	test.Tap(u.records.views[apptest.RecBasic].objectBtn)
	test.Type(u.form.statement, "错")
	if len(ts.f) < 3 || !ts.stopped[0] {
		t.Fatalf("touching did not restart the timer: %d timers, first stopped %v", len(ts.f), ts.stopped[0])
	}
	// A superseded timer that fires anyway changes nothing.
	ts.f[0]()
	k.pump()
	if u.screen != screenObjection || u.session == nil {
		t.Fatalf("a stale timer ended the session (screen %d)", u.screen)
	}
	sess := u.session
	ts.f[len(ts.f)-1]()
	k.pump()
	if u.screen != screenHome || u.session != nil || sess.Card.Name != "" {
		t.Fatalf("idle timeout did not end the session (screen %d)", u.screen)
	}
	if shows(k.w, apptest.PersonName) {
		t.Error("the name is on screen after the idle timeout")
	}
	if u.message.Text != "长时间无操作，已自动结束查询以保护您的信息。" {
		t.Errorf("notice %q", u.message.Text)
	}
	n := len(ts.f)
	test.Tap(u.home.searchBtn)
	if len(ts.f) != n {
		t.Error("an idle timer was scheduled without a session")
	}
}

func TestIdleTimeoutDisabled(t *testing.T) {
	ts := &timers{}
	k := newKiosk(t, true)
	k.ui.Close()
	o := k.opts()
	o.IdleTimeout, o.AfterFunc = -1, ts.after
	k.ui = New(k.svc, o)
	k.ui.Show(k.w)
	k.readCard(t)
	if len(ts.f) != 0 {
		t.Errorf("%d idle timers with the timeout disabled", len(ts.f))
	}
}

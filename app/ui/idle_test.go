package ui

import (
	"fmt"
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
	if len(ts.f) != 1 || ts.d[0] != 90*time.Second-IdleCountdown {
		t.Fatalf("timers after reading the card: %v", ts.d)
	}
	test.Tap(openRecord(t, u, apptest.RecBasic).objectBtn)
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
	ts.f[len(ts.f)-1]() // the quiet period is over: the countdown starts
	k.pump()
	if !u.countdownBar.Visible() || u.countdownLabel.Text != "15 秒后自动退出，触摸屏幕继续" || u.session == nil {
		t.Fatalf("countdown %q (visible %v)", u.countdownLabel.Text, u.countdownBar.Visible())
	}
	for i := 14; i >= 1; i-- {
		if d := ts.d[len(ts.d)-1]; d != time.Second {
			t.Fatalf("countdown tick scheduled after %v", d)
		}
		ts.f[len(ts.f)-1]()
		k.pump()
		if want := fmt.Sprintf("%d 秒后自动退出，触摸屏幕继续", i); u.countdownLabel.Text != want || u.session == nil {
			t.Fatalf("countdown %q, want %q", u.countdownLabel.Text, want)
		}
	}
	ts.f[len(ts.f)-1]()
	k.pump()
	if u.countdownBar.Visible() {
		t.Error("countdown still shown after the session ended")
	}
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

// TestIdleCountdownInterrupted: typing or a tap during the countdown
// keeps the session and hides the countdown.
func TestIdleCountdownInterrupted(t *testing.T) {
	tests := []struct {
		name  string
		touch func(k *kiosk)
	}{
		{"continue button", func(k *kiosk) { test.Tap(k.ui.continueBtn) }},
		{"a tap on the screen", func(k *kiosk) { test.Tap(openRecord(t, k.ui, apptest.RecBasic).objectBtn) }},
		{"typing", func(k *kiosk) {
			test.Tap(openRecord(t, k.ui, apptest.RecBasic).objectBtn)
			k.ui.touch() // put the form up before the countdown
			fireCountdown(k)
			test.Type(k.ui.form.statement, "错")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, true)
			ts := &timers{}
			k.ui.Close()
			o := k.opts()
			o.AfterFunc = ts.after
			k.ui = New(k.svc, o)
			k.ui.Show(k.w)
			k.ts = ts
			k.readCard(t)
			if ts.d[0] != DefaultIdleTimeout-IdleCountdown {
				t.Fatalf("first idle timer after %v", ts.d[0])
			}
			fireCountdown(k)
			if !k.ui.countdownBar.Visible() {
				t.Fatal("no countdown")
			}
			tt.touch(k)
			k.pump()
			if k.ui.countdownBar.Visible() || k.ui.session == nil {
				t.Fatalf("after touching: countdown visible %v, session %v", k.ui.countdownBar.Visible(), k.ui.session != nil)
			}
			// The old countdown's tick is stale now.
			for i, f := range ts.f {
				if ts.stopped[i] {
					f()
				}
			}
			k.pump()
			if k.ui.session == nil || k.ui.countdownBar.Visible() {
				t.Error("a stale tick ended the session or showed the countdown")
			}
			if d := ts.d[len(ts.d)-1]; d != DefaultIdleTimeout-IdleCountdown {
				t.Errorf("idle timer restarted with %v", d)
			}
		})
	}
}

// fireCountdown fires the latest idle timer and pumps.
func fireCountdown(k *kiosk) {
	k.ts.f[len(k.ts.f)-1]()
	k.pump()
}

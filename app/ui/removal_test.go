package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestCardRemovalWipesScreen: the holder takes the card off mid-objection;
// the kiosk goes home with every trace of them gone.
func TestCardRemovalWipesScreen(t *testing.T) {
	test.NewTempApp(t)
	k := &kiosk{mem: apptest.Fixture(friday.Add(-time.Hour)), card: apptest.NewCard(apptest.PersonCard(), nil), q: make(chan func(), 4096)}
	k.svc = app.New(app.Deps{Records: k.mem, Inquiries: k.mem, Applications: k.mem, Card: k.card, EndOnCardRemoval: true,
		DeviceID: apptest.DeviceID, Now: func() time.Time { return friday }})
	k.ui = New(k.svc, k.opts())
	k.w = test.NewTempWindow(t, nil)
	k.ui.Show(k.w)
	k.w.Resize(fyne.NewSize(1024, 1400))
	t.Cleanup(func() { k.ui.Close() })
	u := k.ui

	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() { _ = k.svc.RunCardWatch(ctx, time.Millisecond) }()
	k.waitFor(t, func() bool { return u.session != nil && u.screen == screenRecords })
	test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
	test.Type(u.form.statement, "记录有误")
	if !shows(k.w, "记录有误") {
		t.Fatal("the holder's form is not on screen")
	}
	k.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	k.waitFor(t, func() bool { return u.session == nil })
	if u.screen != screenHome || u.message.Text != "身份证已取走，查询已结束。" {
		t.Errorf("screen %d, message %q", u.screen, u.message.Text)
	}
	for _, secret := range []string{apptest.PersonName, "记录有误", "行政处罚：未按期申报纳税"} {
		if shows(k.w, secret) {
			t.Errorf("%q still on screen", secret)
		}
	}
}

// TestRenderHoldsSession: the card watcher ends a session (another card
// placed without a removal seen) on its own goroutine while the UI draws
// it. Under -race (make test) reading the session unheld is reported; the
// UI holds it while it reads (Session.Hold).
func TestRenderHoldsSession(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.readCard(t)
	sess := u.session
	done := make(chan struct{})
	go func() { defer close(done); k.svc.EndSession(sess) }()
	for range 20 {
		u.render()
	}
	<-done
	if !sess.Ended() {
		t.Fatal("the session was not ended")
	}
}

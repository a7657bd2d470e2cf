package app_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestEventsFollowUseCases(t *testing.T) {
	e := newEnv(t)
	events, cancel := e.svc.Subscribe()
	defer cancel()

	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	holder := sess.Subject.ID
	o, err := e.svc.FileObjection(t.Context(), sess, apptest.RecOther, credit.ObjWrongInfo, "不是我。", "")
	if err != nil {
		t.Fatal(err)
	}
	e.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	_, readErr := e.svc.ReadCard(t.Context())
	last := time.Date(2026, 11, 27, 9, 0, 0, 0, credit.China)
	e.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 3, Pending: 1, LastSuccess: last})
	e.svc.EndSession(sess)

	want := []app.EventType{app.CardRead, app.ObjectionFiled, app.Error, app.SessionUpdated, app.SyncStatus, app.SessionEnded}
	for i, typ := range want {
		ev := <-events
		if ev.Type != typ || ev.Seq != int64(i+1) || !ev.At.Equal(friday) {
			t.Fatalf("event %d = %s seq %d at %v, want %s seq %d", i, ev.Type, ev.Seq, ev.At, typ, i+1)
		}
		switch typ {
		case app.CardRead:
			if ev.Session != sess {
				t.Error("CardRead does not carry the session")
			}
		case app.ObjectionFiled:
			if ev.Objection == nil || ev.Objection.No != o.No {
				t.Errorf("ObjectionFiled carries %+v", ev.Objection)
			}
		case app.Error:
			if !errors.Is(ev.Err, readErr) && credit.ErrorCode(ev.Err) != credit.ENOTFOUND {
				t.Errorf("Error event carries %v", ev.Err)
			}
		case app.SessionUpdated:
			// The sync applied changes while the session was open.
			if ev.Previous != sess || ev.Session == nil || ev.Session == sess || ev.Session.Subject.ID != holder {
				t.Errorf("SessionUpdated carries %p replacing %p", ev.Session, ev.Previous)
			}
		case app.SyncStatus:
			if ev.Sync.Applied != 3 || ev.Sync.Pending != 1 || !ev.Sync.LastSuccess.Equal(last) {
				t.Errorf("SyncStatus carries %+v", ev.Sync)
			}
		}
	}
	select {
	case ev := <-events:
		t.Errorf("unexpected extra event %s", ev.Type)
	default:
	}
}

// TestSlowSubscriberDropsOldest: a subscriber that never reads does not
// block publishing, and keeps the newest EventBuffer events.
func TestSlowSubscriberDropsOldest(t *testing.T) {
	e := newEnv(t)
	slow, cancelSlow := e.svc.Subscribe()
	defer cancelSlow()
	fast, cancelFast := e.svc.Subscribe()
	defer cancelFast()

	total := app.EventBuffer*3 + 5
	var got []int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev := range fast {
			got = append(got, ev.Sync.Applied)
		}
	}()
	for i := 1; i <= total; i++ {
		e.svc.PublishSync(app.SyncInfo{Phase: app.SyncRunning, Applied: i})
	}
	if len(slow) != app.EventBuffer {
		t.Fatalf("slow subscriber holds %d events, want %d", len(slow), app.EventBuffer)
	}
	first := <-slow
	if want := total - app.EventBuffer + 1; first.Sync.Applied != want || first.Seq != int64(want) {
		t.Errorf("oldest kept event is #%d (seq %d), want #%d", first.Sync.Applied, first.Seq, want)
	}
	var lastEv app.Event
	for len(slow) > 0 {
		lastEv = <-slow
	}
	if lastEv.Sync.Applied != total {
		t.Errorf("newest event #%d, want #%d", lastEv.Sync.Applied, total)
	}
	cancelFast()
	cancelFast() // twice is fine
	wg.Wait()
	if len(got) == 0 || got[len(got)-1] != total {
		t.Errorf("reading subscriber ended at %v", got[max(0, len(got)-1):])
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("events out of order: %d after %d", got[i], got[i-1])
		}
	}
	e.svc.PublishSync(app.SyncInfo{}) // after a cancel: no panic
}

package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

var noCard = credit.Errorf(credit.ENOTFOUND, "无卡", "no card")

// nextEvent waits for the next event of one of the types, failing after a
// generous deadline (the watcher polls every millisecond).
func nextEvent(t *testing.T, events <-chan app.Event, types ...app.EventType) app.Event {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			for _, typ := range types {
				if ev.Type == typ {
					return ev
				}
			}
		case <-deadline:
			t.Fatalf("no %v event", types)
		}
	}
}

// waitReads waits until the reader has been asked n more times.
func waitReads(t *testing.T, c *apptest.Card, n int) {
	t.Helper()
	want := c.Reads() + n
	deadline := time.Now().Add(10 * time.Second)
	for c.Reads() < want {
		if time.Now().After(deadline) {
			t.Fatalf("reader polled %d times, want %d", c.Reads(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCardWatch(t *testing.T) {
	e := newEnv(t)
	e.card.Set(credit.IDCard{}, noCard)
	events, cancel := e.svc.Subscribe()
	defer cancel()
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.svc.RunCardWatch(ctx, time.Millisecond) }()

	waitReads(t, e.card, 3)
	if n := len(e.mem.LoggedInquiries()); n != 0 {
		t.Fatalf("%d inquiries with no card", n)
	}

	// The holder places the card: one session, one inquiry.
	e.card.Set(apptest.PersonCard(), nil)
	ev := nextEvent(t, events, app.CardRead, app.Error)
	if ev.Type != app.CardRead || ev.Session == nil || ev.Session.Subject.ID != apptest.PersonID {
		t.Fatalf("event %s %v", ev.Type, ev.Err)
	}
	sess := ev.Session
	// While the session is open the reader is left alone.
	before := e.card.Reads()
	time.Sleep(20 * time.Millisecond)
	if e.card.Reads() != before {
		t.Errorf("reader polled %d times during the session", e.card.Reads()-before)
	}

	// Finish with the card still on the reader: no new session.
	e.svc.EndSession(sess)
	waitReads(t, e.card, 5)
	if n := len(e.mem.LoggedInquiries()); n != 1 {
		t.Fatalf("%d inquiries, want 1: the card left on the reader was read again", n)
	}

	// Card taken off and placed again: a new session.
	e.card.Set(credit.IDCard{}, noCard)
	waitReads(t, e.card, 2)
	e.card.Set(apptest.PersonCard(), nil)
	if ev := nextEvent(t, events, app.CardRead, app.Error); ev.Type != app.CardRead || ev.Session == sess {
		t.Fatalf("second placement: %s", ev.Type)
	}
	if n := len(e.mem.LoggedInquiries()); n != 2 {
		t.Errorf("%d inquiries, want 2", n)
	}

	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("RunCardWatch returned %v", err)
	}
}

func TestCardWatchBadCardOnce(t *testing.T) {
	e := newEnv(t)
	bad := apptest.PersonCard()
	bad.Number = "123"
	e.card.Set(bad, nil)
	events, cancel := e.svc.Subscribe()
	defer cancel()
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() { _ = e.svc.RunCardWatch(ctx, time.Millisecond) }()
	ev := nextEvent(t, events, app.CardRead, app.Error)
	if ev.Type != app.Error || credit.ErrorCode(ev.Err) != credit.EDEVICE {
		t.Fatalf("event %s %v", ev.Type, ev.Err)
	}
	waitReads(t, e.card, 5)
	select {
	case ev := <-events:
		t.Errorf("the same bad card reported again: %s", ev.Type)
	default:
	}
}

func TestCardWatchNoReader(t *testing.T) {
	e := newEnv(t)
	svc := app.New(app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem})
	if err := svc.RunCardWatch(t.Context(), time.Millisecond); err != nil {
		t.Errorf("RunCardWatch without a reader: %v", err)
	}
}

// TestEmptyReadArmsWatch: a tap that finds the reader empty counts as the
// card having been taken off, so the watch opens the next card placed.
func TestEmptyReadArmsWatch(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.svc.EndSession(sess)
	e.card.Set(credit.IDCard{}, noCard)
	if _, err := e.svc.ReadCard(t.Context()); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("empty reader: %v", err)
	}
	e.card.Set(apptest.PersonCard(), nil) // placed before the watch polls
	events, cancel := e.svc.Subscribe()
	defer cancel()
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() { _ = e.svc.RunCardWatch(ctx, time.Millisecond) }()
	if ev := nextEvent(t, events, app.CardRead, app.Error); ev.Type != app.CardRead {
		t.Fatalf("event %s %v", ev.Type, ev.Err)
	}
}

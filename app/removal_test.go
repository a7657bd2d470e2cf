package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestCardRemovalEndsSession(t *testing.T) {
	other := apptest.PersonCard()
	other.Number = "11010519491231002" + string(credit.IDCheckChar("11010519491231002"))
	tests := []struct {
		name  string
		after func(c *apptest.Card)
	}{
		{"taken off", func(c *apptest.Card) { c.Set(credit.IDCard{}, noCard) }},
		{"another card placed", func(c *apptest.Card) { c.Set(other, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(friday.Add(-time.Hour))
			card := apptest.NewCard(apptest.PersonCard(), nil)
			svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Card: card, EndOnCardRemoval: true,
				Now: func() time.Time { return friday }, Logger: slog.New(slog.DiscardHandler)})
			events, cancel := svc.Subscribe()
			defer cancel()
			ctx, stop := context.WithCancel(t.Context())
			defer stop()
			go func() { _ = svc.RunCardWatch(ctx, time.Millisecond) }()
			ev := nextEvent(t, events, app.CardRead, app.Error)
			if ev.Type != app.CardRead {
				t.Fatalf("event %s %v", ev.Type, ev.Err)
			}
			sess := ev.Session
			// The card stays: the session stays, however long.
			waitReads(t, card, 5)
			if sess.Ended() {
				t.Fatal("the session ended with the card on the reader")
			}
			tt.after(card)
			ev = nextEvent(t, events, app.CardRemoved)
			if ev.Session != sess || !sess.Ended() || sess.Subject.ID != "" || sess.Records != nil {
				t.Fatalf("after removal: event session %p (want %p), ended %v", ev.Session, sess, sess.Ended())
			}
			if n := len(mem.LoggedInquiries()); n != 1 {
				t.Errorf("%d inquiries before the next holder", n)
			}
		})
	}
}

// TestCardRemovalOneBadRead: a single empty answer with the card still
// there does not end the session.
func TestCardRemovalOneBadRead(t *testing.T) {
	mem := apptest.Fixture(friday.Add(-time.Hour))
	card := &flakyCard{Card: apptest.NewCard(apptest.PersonCard(), nil)}
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Card: card, EndOnCardRemoval: true,
		Now: func() time.Time { return friday }})
	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	card.failEvery = 3 // every third read finds nothing
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() { _ = svc.RunCardWatch(ctx, time.Millisecond) }()
	waitReads(t, card.Card, 30)
	if sess.Ended() {
		t.Error("isolated empty reads ended the session")
	}
}

// TestCardRemovalOff: without EndOnCardRemoval the reader is left alone
// during a session (TestCardWatch), so removal changes nothing.
func TestCardRemovalOff(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.card.Set(credit.IDCard{}, noCard)
	ctx, stop := context.WithCancel(t.Context())
	go func() { _ = e.svc.RunCardWatch(ctx, time.Millisecond) }()
	time.Sleep(20 * time.Millisecond)
	stop()
	if sess.Ended() {
		t.Error("the session ended with removal detection off")
	}
}

// flakyCard answers ENOTFOUND on every failEvery-th read.
type flakyCard struct {
	*apptest.Card
	n, failEvery int
}

func (c *flakyCard) ReadCard(ctx context.Context) (credit.IDCard, error) {
	card, err := c.Card.ReadCard(ctx)
	c.n++
	if c.failEvery > 0 && c.n%c.failEvery == 0 {
		return credit.IDCard{}, noCard
	}
	return card, err
}

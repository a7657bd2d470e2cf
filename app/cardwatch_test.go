package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// chanWatcher is a CardWatcher driven by the test: every change sent on
// changes is emitted from WatchCards' goroutine, as idcard.Watcher does.
type chanWatcher struct {
	changes chan app.CardChange
	done    chan struct{} // receives after each change was applied
}

func newChanWatcher() *chanWatcher {
	return &chanWatcher{changes: make(chan app.CardChange), done: make(chan struct{})}
}

func (w *chanWatcher) WatchCards(ctx context.Context, emit func(app.CardChange)) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case c := <-w.changes:
			emit(c)
			w.done <- struct{}{}
		}
	}
}

// send emits c and waits until the service has applied it.
func (w *chanWatcher) send(t *testing.T, c app.CardChange) {
	t.Helper()
	select {
	case w.changes <- c:
	case <-time.After(10 * time.Second):
		t.Fatal("the watcher is not running")
	}
	<-w.done
}

func TestCardWatcherPort(t *testing.T) {
	other := apptest.PersonCard()
	other.Number = "11010519491231002" + string(credit.IDCheckChar("11010519491231002"))
	bad := apptest.PersonCard()
	bad.Number = "123"
	placed := func(c credit.IDCard) app.CardChange { return app.CardChange{Kind: app.CardPlaced, Card: c} }
	off := app.CardChange{Kind: app.CardTakenOff}
	lostErr := credit.Errorf(credit.EUNAVAILABLE, "读卡器未连接", "The card reader is not connected.")
	// Each step: the change sent, then the event types published.
	type step struct {
		change app.CardChange
		want   []app.EventType
	}
	tests := []struct {
		name      string
		endOnOff  bool
		steps     []step
		inquiries int
		open      bool // a session is open at the end
	}{
		{"placed, taken off", true, []step{{placed(apptest.PersonCard()), []app.EventType{app.CardRead}}, {off, []app.EventType{app.SessionEnded, app.CardRemoved}}}, 1, false},
		{"taken off with removal kept", false, []step{{placed(apptest.PersonCard()), []app.EventType{app.CardRead}}, {off, nil}}, 1, true},
		{"same card reported twice", true, []step{{placed(apptest.PersonCard()), []app.EventType{app.CardRead}}, {placed(apptest.PersonCard()), nil}}, 1, true},
		{"swapped without removal", true, []step{{placed(apptest.PersonCard()), []app.EventType{app.CardRead}}, {placed(other), []app.EventType{app.SessionEnded, app.CardRemoved, app.CardRead}}}, 2, true},
		{"another card while kept", false, []step{{placed(apptest.PersonCard()), []app.EventType{app.CardRead}}, {placed(other), nil}}, 1, true},
		{"bad card", true, []step{{placed(bad), []app.EventType{app.Error}}}, 0, false},
		{"removal with no session", true, []step{{off, nil}}, 0, false},
		{"reader lost", true, []step{{app.CardChange{Kind: app.ReaderLost, Err: lostErr}, []app.EventType{app.Error}}, {app.CardChange{Kind: app.ReaderBack}, nil}}, 0, false},
		{"reader lost, internal", true, []step{{app.CardChange{Kind: app.ReaderLost, Err: errors.New("EIO")}, []app.EventType{app.Error}}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(friday.Add(-time.Hour))
			card := apptest.NewCard(apptest.PersonCard(), nil)
			w := newChanWatcher()
			svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Card: card, CardWatch: w,
				EndOnCardRemoval: tt.endOnOff, Now: func() time.Time { return friday }})
			events, cancel := svc.Subscribe()
			defer cancel()
			ctx, stop := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- svc.RunCardWatch(ctx, time.Hour) }()
			var last *app.Session
			for i, s := range tt.steps {
				w.send(t, s.change)
				for _, want := range s.want {
					select {
					case ev := <-events:
						if ev.Type != want {
							t.Fatalf("step %d: event %s (%v), want %s", i, ev.Type, ev.Err, want)
						}
						if ev.Type == app.Error && strings.HasPrefix(credit.ErrorMessageEN(ev.Err), "Internal error") {
							t.Errorf("step %d: error without a plain message: %v", i, ev.Err)
						}
						if ev.Type == app.CardRead {
							last = ev.Session
						}
					default:
						t.Fatalf("step %d: no %s event", i, want)
					}
				}
				select {
				case ev := <-events:
					t.Fatalf("step %d: unexpected event %s", i, ev.Type)
				default:
				}
			}
			if card.Reads() != 0 {
				t.Errorf("the reader was read %d times; the watcher reads, the service must not", card.Reads())
			}
			if n := len(mem.LoggedInquiries()); n != tt.inquiries {
				t.Errorf("%d inquiries, want %d", n, tt.inquiries)
			}
			if open := last != nil && !last.Ended(); open != tt.open {
				t.Errorf("session open = %v, want %v", open, tt.open)
			}
			stop()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("RunCardWatch returned %v", err)
			}
		})
	}
}

// TestCardWatcherAfterTap: a card whose session a tap opened is not opened
// again when the watcher reports it.
func TestCardWatcherAfterTap(t *testing.T) {
	mem := apptest.Fixture(friday.Add(-time.Hour))
	w := newChanWatcher()
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Card: apptest.NewCard(apptest.PersonCard(), nil),
		CardWatch: w, EndOnCardRemoval: true, Now: func() time.Time { return friday }})
	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() { _ = svc.RunCardWatch(ctx, 0) }()
	w.send(t, app.CardChange{Kind: app.CardPlaced, Card: apptest.PersonCard()})
	if sess.Ended() || len(mem.LoggedInquiries()) != 1 {
		t.Fatalf("tapped session ended %v, %d inquiries", sess.Ended(), len(mem.LoggedInquiries()))
	}
	w.send(t, app.CardChange{Kind: app.CardTakenOff})
	if !sess.Ended() {
		t.Error("taking the card off left the tapped session open")
	}
}

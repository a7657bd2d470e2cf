package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
	"github.com/gansu-credit/credit/store"
)

// cmdCounter counts the simulator's requests by command (it logs each at
// debug level with its name).
type cmdCounter struct {
	reads, finds atomic.Int64
}

func (c *cmdCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *cmdCounter) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *cmdCounter) WithGroup(string) slog.Handler            { return c }
func (c *cmdCounter) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "cmd" {
			switch v := strings.ToLower(a.Value.String()); {
			case strings.Contains(v, "read"):
				c.reads.Add(1)
			case strings.Contains(v, "find"):
				c.finds.Add(1)
			}
		}
		return true
	})
	return nil
}

// TestCardWatchThroughSerial: with --card-poll the kiosk watches the reader
// through idcard.Watcher on a pseudo-terminal. Placing the card opens the
// session; while it lies on the reader (a SAM that answers find with "no
// card" for a card already read, select still working) the watch only
// checks presence and never reads it again; taking it off ends the session.
func TestCardWatchThroughSerial(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(t.Context(), dbPath, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	subjects, records := apptest.FixtureData()
	if err := db.Load(t.Context(), subjects, records); err != nil {
		t.Fatal(err)
	}
	db.Close()

	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	hold, err := pty.HoldSlave(slave)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	count := &cmdCounter{}
	sim := samsim.New(master, slog.New(count))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = sim.Run(ctx) }()
	defer func() { cancel(); master.Close(); <-done }()

	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config.DB, m.Config.Port, m.Config.DeviceID = dbPath, slave, apptest.DeviceID
	m.Config.CardPoll = 10 * time.Millisecond
	svc, err := m.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	events, unsubscribe := svc.Subscribe()
	defer unsubscribe()
	m.StartCardWatch(svc)

	next := func(want creditapp.EventType) creditapp.Event {
		t.Helper()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Type == creditapp.Error {
					t.Fatalf("card watch: %v", ev.Err)
				}
				if ev.Type == want {
					return ev
				}
			case <-timeout:
				t.Fatalf("no %s event", want)
			}
		}
	}
	if err := sim.SetCard(apptest.PersonCard()); err != nil {
		t.Fatal(err)
	}
	sess := next(creditapp.CardRead).Session
	if sess.Card.Name != apptest.PersonName {
		t.Fatalf("watched session for %s", sess.Subject.MaskedID())
	}

	// The card rests on the reader: presence checks only.
	sim.SetFaults(samsim.Faults{FindFails: true})
	reads, finds := count.reads.Load(), count.finds.Load()
	for count.finds.Load() < finds+10 {
		time.Sleep(5 * time.Millisecond)
	}
	if n := count.reads.Load() - reads; n != 0 {
		t.Errorf("%d card reads during the session, want presence checks only", n)
	}
	if sess.Ended() {
		t.Fatal("the session ended with the card on the reader")
	}

	sim.SetFaults(samsim.Faults{})
	sim.RemoveCard()
	if ev := next(creditapp.CardRemoved); ev.Session != sess || !sess.Ended() {
		t.Fatalf("after removal: session %p (want %p) ended %v", ev.Session, sess, sess.Ended())
	}
}

package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
	"github.com/gansu-credit/credit/store"
)

// TestReadCardThroughSerial puts the fixture person's card on a simulated
// reader behind a pseudo-terminal and reads it through the kiosk's own
// wiring: serial port → idcard.Reader → app.Service → store.
func TestReadCardThroughSerial(t *testing.T) {
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
	sim := samsim.New(master, slog.New(slog.DiscardHandler))
	if err := sim.SetCard(apptest.PersonCard()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = sim.Run(ctx) }()
	defer func() { cancel(); master.Close(); <-done }()

	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config.DB, m.Config.Port, m.Config.DeviceID = dbPath, slave, apptest.DeviceID
	m.Config.CardPoll = 0 // taps read the port directly; the watch below polls it (cardwatch_test.go: the watcher)
	svc, err := m.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !svc.HasCardReader() {
		t.Fatal("the reader on the pseudo-terminal was not attached")
	}

	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatalf("read card: %v (%s)", err, credit.ErrorMessageEN(err))
	}
	if sess.Card.Name != apptest.PersonName || sess.Subject.ID != apptest.PersonID || !sess.Known || sess.Empty() {
		t.Errorf("session for %s known=%v empty=%v", sess.Subject.MaskedID(), sess.Known, sess.Empty())
	}
	svc.EndSession(sess)

	sim.RemoveCard()
	_, err = svc.ReadCard(t.Context())
	if credit.ErrorCode(err) != credit.ENOTFOUND || credit.ErrorMessageEN(err) != "No card found. Please place your ID card flat on the reader." {
		t.Errorf("no card: %v", err)
	}

	// With the card watch, placing the card opens a session by itself.
	events, unsubscribe := svc.Subscribe()
	defer unsubscribe()
	m.Config.CardPoll = 10 * time.Millisecond
	m.StartCardWatch(svc)
	if err := sim.SetCard(apptest.PersonCard()); err != nil {
		t.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Type == creditapp.Error {
				t.Fatalf("card watch: %v", ev.Err)
			}
			if ev.Type != creditapp.CardRead {
				continue
			}
			if ev.Session.Card.Name != apptest.PersonName {
				t.Errorf("watched session for %s", ev.Session.Subject.MaskedID())
			}
			return
		case <-timeout:
			t.Fatal("placing the card opened no session")
		}
	}
}

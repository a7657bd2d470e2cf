package devicesync

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
)

// With the device clock set three days ahead, the kiosk wired through
// Config.Clock judges data an hour old by the platform's clock as fresh
// once the loop heard the platform, and as stale before (issue #3).
func TestServerClockStaleness(t *testing.T) {
	server := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	device := func() time.Time { return server.Add(72 * time.Hour) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", server.Format(http.TimeFormat))
		http.Error(w, `{"code":"not_found"}`, http.StatusNotFound)
	}))
	defer srv.Close()

	dir := t.TempDir()
	db, err := store.Open(t.Context(), filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	clock := NewServerClock(device)
	mem := apptest.Fixture(server.Add(-time.Hour))
	svc := app.New(app.Deps{
		Records: mem, Inquiries: mem, Applications: mem, Card: apptest.NewCard(apptest.PersonCard(), nil),
		Now: device, ServerNow: clock.Now,
	})
	stale := func() bool {
		t.Helper()
		sess, err := svc.ReadCard(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer svc.EndSession(sess)
		return sess.Stale
	}
	if !stale() {
		t.Fatal("before any answer the device clock (+72 h) must judge hour-old data stale")
	}
	if got := clock.Now(); !got.Equal(device()) {
		t.Fatalf("unattached clock reads %v, want the fallback %v", got, device())
	}

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	Start(ctx, &wg, Config{
		Server: srv.URL, DeviceID: "kiosk-t", KeyPath: filepath.Join(dir, "kiosk.key"), Store: db,
		Logger: slog.New(slog.DiscardHandler), Publish: func(app.SyncInfo) {}, Clock: clock,
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if d := clock.Now().Sub(server); d >= 0 && d < time.Minute {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("clock reads %v after the loop started, want about %v (the platform's Date)", clock.Now(), server)
		}
	}
	if stale() {
		t.Error("hour-old data judged stale on the platform's clock")
	}
}

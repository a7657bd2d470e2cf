package devicesync

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/internal/leakcheck"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
	"go.uber.org/goleak"
)

// TestStartLeavesNothingRunning is invariant I9 of sync.md for the
// device's loop: once ctx ends and wg.Wait returns, neither the loop's
// goroutines nor a connection to the platform is left — whether it was
// stopped between rounds, or while the platform refused it (backoff).
// Once the platform and the store are closed too, so is every file.
func TestStartLeavesNothingRunning(t *testing.T) {
	tests := []struct {
		name string
		code string // "" enrols with the code the platform issued
		want app.SyncPhase
	}{{"between rounds", "", app.SyncIdle}, {"refused enrolment", "WRONG-CODE", app.SyncFailed}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			all := leakcheck.Baseline(t)
			defer leakcheck.Check(t, all) // last: the platform and the store are closed too
			srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), syncserver.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ds := synth.Generate(3, 5)
			if err := srv.PutSubjects(t.Context(), ds.Subjects, ds.Records); err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			code, _, err := srv.AddDevice(t.Context(), "kiosk-1", "")
			if err != nil {
				t.Fatal(err)
			}
			if tt.code != "" {
				code = tt.code
			}
			db, err := store.Open(t.Context(), filepath.Join(dir, "kiosk.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fds := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent() // the platform, its listener and the store

			infos := make(chan app.SyncInfo, 64)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var wg gosync.WaitGroup
			Start(ctx, &wg, Config{Server: hs.URL, DeviceID: "kiosk-1", KeyPath: filepath.Join(dir, "kiosk.db.key"), EnrollCode: code,
				Store: db, Logger: slog.New(slog.DiscardHandler),
				Publish: func(i app.SyncInfo) {
					select {
					case infos <- i:
					default:
					}
				}})
			var last app.SyncInfo
			for last.Phase != app.SyncIdle && last.Phase != app.SyncFailed && last.Phase != app.SyncOffline {
				select {
				case last = <-infos:
				case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
					t.Fatalf("no end of round; last %+v", last)
				}
			}
			if last.Phase != tt.want {
				t.Errorf("round ended %+v, want %s", last, tt.want)
			}
			cancel()
			wg.Wait()
			goleak.VerifyNone(t, base)
			leakcheck.CheckSockets(t, fds) // the connections are closed on both sides
		})
	}
}

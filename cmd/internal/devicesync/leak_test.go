package devicesync

import (
	"context"
	"log/slog"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/internal/leakcheck"
	"github.com/gansu-credit/credit/sync/syncserver"
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
			r, closeRig := newRig(t, dir, syncserver.Options{})
			defer closeRig()
			code := r.code
			if tt.code != "" {
				code = tt.code
			}
			fds := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent() // the platform, its listener and the store

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var wg gosync.WaitGroup
			last := startRound(t, ctx, &wg, Config{Server: r.url, DeviceID: "kiosk-1", KeyPath: filepath.Join(dir, "kiosk.db.key"), EnrollCode: code,
				Store: r.db, Logger: slog.New(slog.DiscardHandler)}, 30*time.Second, nil)
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

package syncclient

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/gansu-credit/credit/internal/leakcheck"
	"go.uber.org/goleak"
)

// TestRunLeavesNothingRunning is invariant I9 of sync.md for the loop:
// once Run has returned on cancel, none of its goroutines is left, and
// neither is a connection to the platform (the transport's keep-alive
// readers and writers, and the server's handler for them). Once the
// platform is closed too, so is every file.
func TestRunLeavesNothingRunning(t *testing.T) {
	tests := []struct {
		name     string
		down     bool // the platform answers 503: Run is in its backoff pause
		snapshot bool // a resync: cancel comes while the snapshot prefetch runs
	}{{"after a good round", false, false}, {"while backing off", true, false}, {"during a snapshot", false, true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := leakcheck.Baseline(t)
			t.Cleanup(func() { leakcheck.Check(t, all) }) // after the fixture's: the platform is closed too
			f := newFixture(t, 5)
			seed(t, f.srv, 12)
			if tt.down {
				f.setWrap(func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
					w.Header().Set("Retry-After", "1")
					http.Error(w, "down", http.StatusServiceUnavailable)
				})
			}
			if tt.snapshot {
				if err := f.store.BeginSnapshot(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			fds := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent() // the platform and its listener
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rounds := make(chan Phase, 16)
			c := f.client(func(cfg *Config) {
				cfg.Interval = time.Hour
				cfg.BackoffMax = time.Hour
				cfg.RetryWaitMax = time.Hour // the pause after a failed round is long: cancel finds Run in it
				cfg.OnProgress = func(p Progress) {
					if tt.snapshot && p.Phase == PhaseResync && p.Done > 0 {
						cancel() // a page is in, the pipeline is fetching the next ones
						p.Phase = PhaseFailed
					}
					if p.Phase == PhaseDone || p.Phase == PhaseFailed {
						select {
						case rounds <- p.Phase:
						default:
						}
					}
				}
			})
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			select {
			case p := <-rounds:
				if (p == PhaseFailed) != (tt.down || tt.snapshot) {
					t.Errorf("round ended %s", p)
				}
			case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
				t.Fatal("no round ended")
			}
			cancel()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
			goleak.VerifyNone(t, base)
			leakcheck.CheckSockets(t, fds) // the connections are closed on both sides
		})
	}
}

// TestEnrollLeavesNoConnection: Enroll on its default client closes the
// connection it opened, whether the code is taken or refused (I9).
func TestEnrollLeavesNoConnection(t *testing.T) {
	f := newFixture(t, 0)
	const dev = "KIOSK-620102-02"
	code, _, err := f.srv.AddDevice(t.Context(), dev, "620102")
	if err != nil {
		t.Fatal(err)
	}
	key, err := LoadOrCreateDeviceKey(filepath.Join(t.TempDir(), "kiosk.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	base := goleak.IgnoreCurrent() // the platform and its listener
	for _, tt := range []struct {
		name, code string
		ok         bool
	}{{"refused", "WRONG-CODE", false}, {"taken", code, true}} {
		_, err := Enroll(t.Context(), EnrollConfig{BaseURL: f.hs.URL, DeviceID: dev, Code: tt.code, Key: key})
		if (err == nil) != tt.ok {
			t.Errorf("%s: Enroll: %v", tt.name, err)
		}
		if err := goleak.Find(base); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

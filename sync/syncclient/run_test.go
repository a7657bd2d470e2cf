package syncclient

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunStopsOnCancel(t *testing.T) {
	tests := []struct {
		name string
		// inCallback cancels inside OnProgress (mid-round); otherwise the
		// test cancels from outside once a round is done (Run is sleeping
		// or about to).
		inCallback bool
	}{{"during a round", true}, {"while waiting", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rounds := make(chan struct{}, 10)
			c := f.client(func(cfg *Config) {
				cfg.Interval = time.Hour
				cfg.OnProgress = func(p Progress) {
					if p.Phase == PhaseDone {
						if tt.inCallback {
							cancel()
						}
						rounds <- struct{}{}
					}
				}
			})
			done := make(chan error, 1)
			go func() { done <- c.Run(ctx) }()
			<-rounds
			cancel()
			select {
			case err := <-done:
				if err != context.Canceled {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
				t.Fatal("Run did not return after cancel")
			}
			if len(rounds) != 0 {
				t.Errorf("Run kept syncing after cancel")
			}
		})
	}
}

func TestRunBacksOffAndRecovers(t *testing.T) {
	f := newFixture(t, 0)
	var down atomic.Bool
	down.Store(true)
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var waits []time.Duration
	c := f.client(func(cfg *Config) {
		cfg.RetryMax = -1
		cfg.RetryWaitMax = 10 * time.Second
		cfg.BackoffMax = 40 * time.Second
		cfg.Interval = time.Hour
		cfg.Sleep = func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 4 {
				down.Store(false) // the platform comes back
			}
			if len(waits) == 5 {
				cancel()
			}
			return ctx.Err()
		}
	})
	c.rand = func() float64 { return 1 } // the top of each jitter range
	if err := c.Run(ctx); err != context.Canceled {
		t.Fatalf("Run = %v", err)
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 40 * time.Second}
	for i, w := range want {
		if waits[i] != w {
			t.Errorf("wait %d = %v, want %v", i, waits[i], w)
		}
	}
	if last := waits[4]; last < 54*time.Minute || last > 66*time.Minute {
		t.Errorf("after recovery waited %v, want the interval ±10%%", last)
	}
	if c.LastSuccess().IsZero() {
		t.Error("no success recorded after recovery")
	}
}

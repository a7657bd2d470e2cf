package idcard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/internal/leakcheck"
	"go.uber.org/goleak"
)

// TestWatchLeavesNothingOpen is invariant I9 of sync.md for the reader
// loop: once Run has returned on cancel, the serial line it opened is
// closed and none of its goroutines is left — whether the card was on the
// reader or the reader was unplugged and Run was backing off.
func TestWatchLeavesNothingOpen(t *testing.T) {
	tests := []struct {
		name    string
		unplug  bool
		waitFor idcard.EventKind
	}{{"card on the reader", false, idcard.CardRead}, {"reader unplugged", true, idcard.ReaderLost}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := newDevice(t)
			if err := dev.sim.SetCard(demo); err != nil {
				t.Fatal(err)
			}
			fds := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent() // the simulated reader
			ev := make(events, 64)
			w := idcard.NewWatcher(watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud)), ev.emit)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- w.Run(ctx) }()
			ev.until(t, idcard.CardRead)
			if tt.unplug {
				dev.unplug()
				ev.until(t, tt.waitFor)
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
				t.Fatal("Run did not return after cancel")
			}
			goleak.VerifyNone(t, base)
			leakcheck.Check(t, fds)
		})
	}
}

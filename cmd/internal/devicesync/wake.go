package devicesync

import (
	"context"
	"time"
)

// Wake lets a "sync now" button cut the sync loop's pause short. The zero
// value is unusable; make one with NewWake.
type Wake chan struct{}

// NewWake returns a Wake for Config.Wake.
func NewWake() Wake { return make(Wake, 1) }

// Now asks for a round now. It never blocks: a request made while one is
// already waiting is the same request.
func (w Wake) Now() {
	select {
	case w <- struct{}{}:
	default:
	}
}

// Sleep waits for d, until Now is called or until ctx ends (then it
// returns ctx.Err()); it is the loop's syncclient.Config.Sleep.
func (w Wake) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	case <-w:
	}
	return nil
}

package devicesync

import (
	"sync/atomic"
	"time"

	"github.com/gansu-credit/credit/sync/syncclient"
)

// ServerClock is the platform's time for the app's staleness judgement
// (app.Deps.ServerNow, app.OfficeDeps.ServerNow; issue #3). The app is
// built before the sync loop starts, so the clock is handed over first
// and Start attaches the loop's client to it: from then on Now is the
// client's server-anchored estimate (syncclient.Client.ServerNow). Before
// a client is attached, and before its first answer, Now is the fallback
// (the device's clock). A nil *ServerClock is not usable.
type ServerClock struct {
	fallback func() time.Time
	client   atomic.Pointer[syncclient.Client]
}

// NewServerClock returns a clock reading fallback (time.Now when nil)
// until a sync client heard the platform.
func NewServerClock(fallback func() time.Time) *ServerClock {
	if fallback == nil {
		fallback = time.Now
	}
	return &ServerClock{fallback: fallback}
}

// Now is the platform's current time as estimated by the attached client,
// else the fallback.
func (k *ServerClock) Now() time.Time {
	if c := k.client.Load(); c != nil {
		if t, ok := c.ServerNow(); ok {
			return t
		}
	}
	return k.fallback()
}

// attach makes c the client Now asks.
func (k *ServerClock) attach(c *syncclient.Client) { k.client.Store(c) }

package syncclient

import (
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// DeletionLag is this device's deletion lag as the platform last reported
// it in an ack answer (protocol.DeletionLagV1): Art. 48 gives one day to
// delete withdrawn or restored information once the update reaches the
// device.
type DeletionLag struct {
	Known   bool          // the platform has reported it (servers before it do not)
	Waiting int           // tombstones delivered but not yet acknowledged as applied
	Oldest  time.Duration // how long the oldest has waited, by the platform's clock
	At      time.Time     // when the platform reported it (ServerNow)
}

// Percent is how far the running pull or resync is, 0-100, or -1 when
// the platform did not say how many changes were to come.
func (p Progress) Percent() int {
	if p.Total <= 0 {
		return -1
	}
	return int(min(max(p.Done*100/p.Total, 0), 100))
}

// phaseCount tracks the changes applied in the running pull or resync
// against the total the platform announced (Sync-Remaining).
type phaseCount struct{ done, total int64 }

// startCount begins a phase: nothing done, total unknown.
func (c *Client) startCount() { c.count0 = phaseCount{} }

// advance counts an applied page; a page that says how many changes are
// still to come fixes the total, one that does not keeps the last total.
func (c *Client) advance(page *protocol.Page) {
	c.count0.done += int64(len(page.Changes))
	if page.Remaining >= 0 {
		c.count0.total = c.count0.done + page.Remaining
	}
	if c.count0.total > 0 && c.count0.done > c.count0.total {
		c.count0.total = c.count0.done // a resumed count may overrun: never past 100 %
	}
}

// noteLag records the deletion lag of an ack answer.
func (c *Client) noteLag(l *protocol.DeletionLagV1) {
	if l == nil {
		return
	}
	at, _ := c.ServerNow()
	c.mu.Lock()
	c.lag = DeletionLag{Known: true, Waiting: max(l.Waiting, 0), Oldest: max(l.Age(), 0), At: at}
	c.mu.Unlock()
}

// DeletionLag returns the deletion lag the platform last reported.
func (c *Client) DeletionLag() DeletionLag {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lag
}

package syncclient

import (
	"context"
	"time"
)

// Purger is an Outbox that can drop delivered items once they are past
// the redelivery window (sync.md §2.6, §3 F10). store.DB implements it; an
// Outbox without it keeps everything.
type Purger interface {
	// PurgeDelivered deletes the delivered items (receipt stored) whose
	// receipt's received_at (server time) lies before before, bodies
	// included, and returns how many. Pending and rejected items stay.
	PurgeDelivered(ctx context.Context, before time.Time) (int, error)
}

// purgeDelivered runs at the end of a successful round: delivered items
// whose receipts are older than RedeliverWindow by the platform's clock
// (clock.go) can no longer be asked for again and are dropped. Without an
// answer to anchor that clock nothing is purged (the device's clock is
// never trusted for it). A failure is only logged: the next round tries
// again.
func (c *Client) purgeDelivered(ctx context.Context) {
	p, ok := c.cfg.Outbox.(Purger)
	if !ok {
		return
	}
	now, ok := c.clock.now()
	if !ok {
		return
	}
	n, err := p.PurgeDelivered(ctx, now.Add(-RedeliverWindow))
	if err != nil {
		c.log.Warn("purging delivered applications failed; the next round tries again", "err", err)
		return
	}
	if n > 0 {
		c.log.Info("delivered applications past the redelivery window purged", "count", n)
	}
}

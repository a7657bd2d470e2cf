package syncclient

import (
	"context"
	"fmt"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// Redeliverer is an Outbox that keeps delivered items with their receipts
// for at least RedeliverWindow, so that applications a platform restored
// from a backup has lost can be sent again (sync.md §2.6 and §3 F10).
// store.DB implements it; an Outbox without it re-sends nothing.
type Redeliverer interface {
	// Redeliver puts back in the queue, in one transaction, the delivered
	// items whose receipt has a server_seq above afterSeq and a
	// received_at (server time) not before since. Their receipts stay
	// until the platform's new receipts replace them. It returns how many
	// items it requeued.
	Redeliver(ctx context.Context, afterSeq int64, since time.Time) (int, error)
}

// RedeliverWindow is how far back, by the platform's clock, delivered
// applications are sent again after a restore whose extent is unknown
// (R of sync.md §2.6).
const RedeliverWindow = 30 * 24 * time.Hour

// lostByRestore reports whether a resync reason can mean the platform was
// restored from a backup, so that receipts it issued may be lost.
func lostByRestore(reason string) bool {
	return reason == protocol.ReasonEpochChanged || reason == protocol.ReasonCursorAhead || reason == protocol.ReasonSnapshotGone
}

// redeliverLost runs before a resync caused by reason begins, while the
// stored cursor still names the epoch the terminal last synced in. When
// the platform may have been restored, it asks hello where the backup
// ended and requeues the applications whose receipts lie beyond it: all
// those within RedeliverWindow when the backup was taken in another epoch
// than the terminal's, or nothing tells. The platform deduplicates them
// by UUID, so sending one it still holds only returns its receipt. An
// error leaves the cursor alone (the next round gets the 410 again).
func (c *Client) redeliverLost(ctx context.Context, reason string, res *Result) error {
	r, ok := c.cfg.Outbox.(Redeliverer)
	if !ok || !lostByRestore(reason) {
		return nil
	}
	cur, err := c.cfg.Applier.Cursor(ctx)
	if err != nil {
		return fmt.Errorf("syncclient: read cursor: %w", err)
	}
	h, err := c.Hello(ctx)
	if err != nil {
		return err
	}
	mine, _ := protocol.PeekCursor(cur) // unreadable: the epoch is unknown
	after := int64(0)
	if h.RestoredFromEpoch != "" && h.RestoredFromEpoch == mine.Epoch {
		after = h.RestoredFromSeq
	}
	n, err := r.Redeliver(ctx, after, h.ServerTime.Add(-RedeliverWindow))
	if err != nil {
		return fmt.Errorf("syncclient: requeue after a platform restore: %w", err)
	}
	res.Redelivered += n
	if n > 0 {
		c.log.Warn("platform restored from a backup: applications requeued", "count", n, "after_seq", after)
	}
	return nil
}

package syncclient

import (
	"context"
	"fmt"
)

// EmptyCache is implemented by an Applier that can tell an empty cache
// (never synced, no subject, no record) from one merely without a cursor.
// store.DB implements it. The first sync into an empty cache then takes
// the snapshot path (BeginSnapshot, ApplySnapshotPage, FinishSnapshot:
// bulk writes, name index built beside) instead of reading /changes from
// zero, and continues with the change feed from the snapshot's cursor
// (sync.md §2.4). An Applier without it always reads the feed.
type EmptyCache interface {
	CacheEmpty(ctx context.Context) (bool, error)
}

// bootstrap starts a snapshot when the cache is empty and no resync is
// under way; it reports whether it did.
func (c *Client) bootstrap(ctx context.Context) (bool, error) {
	ec, ok := c.cfg.Applier.(EmptyCache)
	if !ok {
		return false, nil
	}
	empty, err := ec.CacheEmpty(ctx)
	if err != nil {
		return false, fmt.Errorf("syncclient: bootstrap: %w", err)
	}
	if !empty {
		return false, nil
	}
	if err := c.cfg.Applier.BeginSnapshot(ctx); err != nil {
		return false, fmt.Errorf("syncclient: begin bootstrap: %w", err)
	}
	c.log.Info("empty cache: bootstrap from a snapshot")
	return true, nil
}

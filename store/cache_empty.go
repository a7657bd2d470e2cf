package store

import (
	"context"
	"fmt"
)

// CacheEmpty reports whether the cache was never synced and holds no
// subject and no record: a kiosk's first sync, which syncclient then makes
// a snapshot bootstrap (the bulk path) instead of reading the change feed
// from zero. The outbox and the inquiry log do not count.
func (d *DB) CacheEmpty(ctx context.Context) (bool, error) {
	var empty bool
	err := d.db.QueryRowContext(ctx, `SELECT
	coalesce((SELECT cursor FROM sync_state WHERE id = 1), '') = ''
	AND NOT EXISTS (SELECT 1 FROM subjects)
	AND NOT EXISTS (SELECT 1 FROM records)`).Scan(&empty)
	if err != nil {
		return false, fmt.Errorf("store: cache empty: %w", err)
	}
	return empty, nil
}

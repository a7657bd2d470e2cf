package syncclient

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Outbox is the device's queue of captured applications. store.DB
// implements it.
type Outbox interface {
	// PendingOutbox returns up to limit items not yet delivered nor
	// rejected, oldest first.
	PendingOutbox(ctx context.Context, limit int) ([]credit.OutboxItem, error)
	// MarkDelivered stores the platform's receipt and moves the item (and its
	// application's status) to received, in one transaction.
	MarkDelivered(ctx context.Context, r credit.Receipt) error
	// MarkRejected takes the item out of the queue with the platform's
	// reason; it stays visible to staff. Other items are not blocked.
	MarkRejected(ctx context.Context, id, reason string) error
	// MarkAttempt records a failed attempt that will be retried.
	MarkAttempt(ctx context.Context, id, lastError string) error
}

// Applier applies the platform's change feed to the local cache. store.DB
// implements it.
type Applier interface {
	// Cursor returns the opaque cursor saved with the last applied page
	// ("" before the first sync).
	Cursor(ctx context.Context) (string, error)
	// ApplyPage applies the changes and saves next as the cursor and asOf
	// (server time) as the data-as-of time, all in one transaction. A put
	// overwrites only a lower version; a del removes the row from every
	// table that holds a copy (search index included) and never fails.
	// After a page with deletions the store erases them physically
	// (secure_delete, WAL checkpoint TRUNCATE).
	// A put that does not validate is quarantined, not applied, and does
	// not fail the page.
	ApplyPage(ctx context.Context, changes []credit.Change, next string, asOf time.Time) error
	// Quarantine keeps aside a put that could not even be decoded (data is
	// its raw JSON), so the rest of its page applies. A del of the same
	// type and id removes it.
	Quarantine(ctx context.Context, seq int64, typ, id string, ver int64, data []byte, reason string) error

	// Resync from a snapshot (sync.md §2.4), after the platform answered
	// 410 Gone. The outbox is never touched by it.

	// SnapshotProgress returns the progress of an unfinished resync:
	// active, with the token and the last key applied.
	SnapshotProgress(ctx context.Context) (token, after string, active bool, err error)
	// BeginSnapshot starts a resync with a new generation; cached rows
	// stay visible until FinishSnapshot.
	BeginSnapshot(ctx context.Context) error
	// ApplySnapshotPage writes a snapshot page (overwriting whatever the
	// cache holds) and saves token and after as the progress, in one
	// transaction.
	ApplySnapshotPage(ctx context.Context, changes []credit.Change, token, after string) error
	// FinishSnapshot deletes, in one transaction, every cached row the
	// snapshot did not write, saves cursor and asOf, and erases the
	// deleted rows physically. It returns how many rows it swept.
	FinishSnapshot(ctx context.Context, cursor string, snapshotSeq int64, asOf time.Time) (int, error)
}

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
	ApplyPage(ctx context.Context, changes []credit.Change, next string, asOf time.Time) error
}

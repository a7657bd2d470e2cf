package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// OutboxState is where an outbox item stands.
type OutboxState string

// Outbox states.
const (
	OutboxPending   OutboxState = "pending"   // waiting to be sent (or retried)
	OutboxDelivered OutboxState = "delivered" // the platform's receipt is stored
	OutboxRejected  OutboxState = "rejected"  // the platform refused it; staff must act
)

// OutboxEntry is an outbox item with its state, for staff screens.
type OutboxEntry struct {
	credit.OutboxItem
	State     OutboxState
	Receipt   *credit.Receipt // set once delivered
	UpdatedAt time.Time
}

const outboxCols = `id, kind, body, digest, created_at, attempts, last_error`

func scanOutboxItem(dst *credit.OutboxItem, extra ...any) []any {
	return append([]any{&dst.ID, (*string)(&dst.Kind), &dst.Body, &dst.Digest, nil, &dst.Attempts, &dst.LastError}, extra...)
}

// PendingOutbox returns up to limit items neither delivered nor rejected,
// oldest first. limit <= 0 means all.
func (d *DB) PendingOutbox(ctx context.Context, limit int) ([]credit.OutboxItem, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending outbox: %w", err)
	}
	defer rows.Close()
	out := []credit.OutboxItem{}
	for rows.Next() {
		var it credit.OutboxItem
		var created sql.NullInt64
		dst := scanOutboxItem(&it)
		dst[4] = &created
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("store: pending outbox: %w", err)
		}
		it.CreatedAt = fromNanos(created)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending outbox: %w", err)
	}
	return out, nil
}

// Outbox lists every item, whatever its state, oldest first.
func (d *DB) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+outboxCols+`, state, receipt, updated_at FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var created, updated sql.NullInt64
		var state string
		var receipt sql.NullString
		dst := scanOutboxItem(&e.OutboxItem, &state, &receipt, &updated)
		dst[4] = &created
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		e.CreatedAt, e.UpdatedAt, e.State = fromNanos(created), fromNanos(updated), OutboxState(state)
		if receipt.Valid {
			var r credit.Receipt
			if err := json.Unmarshal([]byte(receipt.String), &r); err != nil {
				return nil, fmt.Errorf("store: outbox: receipt of %s: %w", e.ID, err)
			}
			e.Receipt = &r
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	return out, nil
}

// MarkDelivered stores the platform's receipt, marks the item delivered
// and moves a still-queued application to received, in one transaction. The
// receipt's digest, if present, must match the frozen body's. Repeating
// it is harmless.
func (d *DB) MarkDelivered(ctx context.Context, r credit.Receipt) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: mark delivered: %w", err)
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var digest string
		err := tx.QueryRowContext(ctx, `SELECT digest FROM outbox WHERE id = ?`, r.ApplicationID).Scan(&digest)
		if errNoRows(err) {
			return errNoOutboxItem(r.ApplicationID)
		}
		if err != nil {
			return err
		}
		if r.Digest != "" && r.Digest != digest {
			return credit.Errorf(credit.ECONFLICT, "平台回执与本机申请内容不一致。",
				"The platform's receipt does not match the application's digest.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'delivered', receipt = ?, last_error = '', updated_at = ?
WHERE id = ?`, string(body), d.now().UnixNano(), r.ApplicationID); err != nil {
			return err
		}
		return setQueuedStatus(ctx, tx, r.ApplicationID, credit.StatusReceived, "", 0)
	})
	if err != nil {
		return wrapOp("mark delivered", err)
	}
	return nil
}

// MarkRejected takes the item out of the queue with the platform's reason
// (it stays listed by Outbox) and marks a still-queued application rejected,
// so that it no longer blocks a new objection against the record.
func (d *DB) MarkRejected(ctx context.Context, id, reason string) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'rejected', last_error = ?, updated_at = ?
WHERE id = ? AND state <> 'delivered'`, reason, d.now().UnixNano(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoOutboxItem(id)
		}
		return setQueuedStatus(ctx, tx, id, credit.StatusRejected, reason, d.now().UnixNano())
	})
	if err != nil {
		return wrapOp("mark rejected", err)
	}
	return nil
}

// MarkAttempt records a failed attempt of a pending item; it will be
// retried.
func (d *DB) MarkAttempt(ctx context.Context, id, lastError string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ?
WHERE id = ? AND state = 'pending'`, lastError, d.now().UnixNano(), id)
	if err != nil {
		return fmt.Errorf("store: mark attempt: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoOutboxItem(id)
	}
	return nil
}

func errNoOutboxItem(id string) error {
	return credit.Errorf(credit.ENOTFOUND, "待上传队列中没有该申请。", "No pending outbox item %s.", id)
}

// wrapOp returns user-facing *credit.Error values as they are and wraps
// anything else with the operation.
func wrapOp(op string, err error) error {
	if credit.ErrorCode(err) != credit.EINTERNAL {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// applicationTables hold captured applications; IDs are UUIDs, unique
// across both.
var applicationTables = []string{"objections", "restorations"}

// setQueuedStatus moves a still-queued application to status; later
// statuses from the platform are never overwritten.
func setQueuedStatus(ctx context.Context, tx *sql.Tx, id string, status credit.ApplicationStatus, note string, at int64) error {
	for _, table := range applicationTables {
		var atArg any
		if at != 0 {
			atArg = at
		}
		_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET status = ?, status_note = ?, status_at = coalesce(?, status_at)
WHERE id = ? AND status = 'queued'`, string(status), note, atArg, id)
		if err != nil {
			return err
		}
	}
	return nil
}

// Redeliver puts back in the queue the delivered items whose receipt has
// a server_seq above afterSeq and a received_at not before since, in one
// transaction, and returns how many. It is for a platform restored from a
// backup that lost them (sync.md §2.6: delivered rows are kept, with their
// receipts, so they can be sent again; the platform deduplicates by UUID).
// The receipts stay until MarkDelivered stores the new ones.
func (d *DB) Redeliver(ctx context.Context, afterSeq int64, since time.Time) (int, error) {
	n := 0
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var ids []string
		err := eachDelivered(ctx, tx, func(id string, r credit.Receipt, perr error) error {
			if perr != nil {
				return fmt.Errorf("receipt of %s: %w", id, perr)
			}
			if r.ServerSeq > afterSeq && !r.ReceivedAt.Before(since) {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', last_error = ?, updated_at = ? WHERE id = ?`,
				"re-sent: the platform was restored from a backup", d.now().UnixNano(), id); err != nil {
				return err
			}
			// Its evidence goes again too (evidence_sync.go; the platform keeps a set).
			if _, err := tx.ExecContext(ctx, `DELETE FROM evidence_sync WHERE application_id = ? AND state = 'sent'`, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: redeliver: %w", err)
	}
	return n, nil
}

// PurgeDelivered deletes, in one transaction, the delivered items (receipt
// stored) whose receipt's received_at — the platform's time — lies before
// before, frozen bodies and receipts with them, and returns how many. The
// sync loop calls it at the end of a successful round with the platform's
// time less the redelivery window (sync.md §2.6 and §3 F10: delivered rows
// are kept R = 30 days so they can be re-sent after a platform restore,
// and no longer). Pending and rejected items are never purged; the
// application rows stay. secure_delete (db.go) overwrites the freed bodies.
func (d *DB) PurgeDelivered(ctx context.Context, before time.Time) (int, error) {
	n := 0
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var ids []string
		err := eachDelivered(ctx, tx, func(id string, r credit.Receipt, perr error) error {
			if perr != nil || r.ReceivedAt.IsZero() {
				return nil // an unreadable receipt is kept: its age is unknown
			}
			if r.ReceivedAt.Before(before) {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND state = 'delivered'`, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge delivered outbox: %w", err)
	}
	return n, nil
}

// eachDelivered calls fn, in outbox order, with every delivered item whose
// receipt is stored and that receipt decoded (perr when it is unreadable).
// The rows are read to the end before fn's ids are acted on by the caller.
func eachDelivered(ctx context.Context, tx *sql.Tx, fn func(id string, r credit.Receipt, perr error) error) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, receipt FROM outbox WHERE state = 'delivered' AND receipt IS NOT NULL ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		var r credit.Receipt
		perr := json.Unmarshal([]byte(raw), &r)
		if err := fn(id, r, perr); err != nil {
			return err
		}
	}
	return errors.Join(rows.Err(), rows.Close())
}

package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// Inquiry logs to the platform and back (Art. 24, 25, 45; migration 008):
// the sync round uploads this device's entries not yet acknowledged
// (UnsentInquiries, MarkInquiriesSent), and the change feed brings the
// entries made at other terminals into remote_inquiries (applyInquiry),
// apart from the device's own hash-chained log.
//
// A resync's snapshot carries the entries of the subjects in the device's
// scope too (syncserver snapshot.go), applied by the same applyInquiry, so
// a device enrolled or resynced later shows the inquiries made before.
// remote_inquiries stays outside the snapshot's mark-and-sweep of subjects
// and records (FinishSnapshot), deliberately: an inquiry log entry is an
// immutable fact the platform never withdraws (there is no del of type
// inquiry; Art. 24 wants the log kept), keyed by its UUID, so the
// snapshot's copy of an entry the device holds is the same row (INSERT OR
// IGNORE), and an entry the snapshot lacks was not deleted — it is only
// one the snapshot did not need to send. Sweeping it would erase the only
// copy a device may have of an inquiry into a subject it does not cache
// (a kiosk holder unknown to the cache is still inquired about, and
// app.Service.loadSession shows such a holder the inquiries into them,
// remote ones included, so "an uncached subject's entries cannot be shown"
// does not hold).
//
// What does go is the entries of a subject that leaves the cache: a
// subject tombstone (applyDel; out_of_scope when it moved region) and the
// snapshot's sweep of the subjects it no longer sends (FinishSnapshot,
// which after a device scope change are those of the old scope) delete the
// subject's remote_inquiries rows in the same transaction
// (deleteRemoteInquiries; secure_delete zeroes them, the checkpoint clears
// the WAL). Entries about subjects this device never cached stay, as
// above; they carry the ID number but no names.

// UnsentInquiries returns up to limit of this device's own log entries the
// platform has not acknowledged nor refused, oldest first.
func (d *DB) UnsentInquiries(ctx context.Context, limit int) ([]credit.Inquiry, error) {
	out, err := d.queryInquiries(ctx, `SELECT `+inquiryColumns+` FROM inquiries
WHERE id NOT IN (SELECT id FROM inquiries_sent) ORDER BY rowid LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unsent inquiries: %w", err)
	}
	return out, nil
}

// queryInquiries runs a query selecting inquiryColumns and returns the
// entries, in the query's order.
func (d *DB) queryInquiries(ctx context.Context, query string, args ...any) ([]credit.Inquiry, error) {
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []credit.Inquiry{}
	for rows.Next() {
		e, err := scanInquiry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e.inquiry())
	}
	return out, rows.Err()
}

// inquiry converts a scanned log row back to the domain entry.
func (e auditEntry) inquiry() credit.Inquiry {
	return credit.Inquiry{ID: e.id, SubjectID: e.subject, InquirerKind: credit.InquirerKind(e.kind), InquirerID: e.inquirer,
		Purpose: e.purpose, AuthRef: e.authRef, Channel: e.channel, At: fromNanos(sql.NullInt64{Int64: e.at, Valid: true})}
}

// MarkInquiriesSent records that the platform acknowledged the entries
// ids (sent) or refused them (rejected: id → reason), so they are not
// uploaded again. Marking an entry twice keeps the first mark.
func (d *DB) MarkInquiriesSent(ctx context.Context, ids []string, rejected map[string]string) error {
	now := d.now().UnixNano()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		mark := func(id, reason string) error {
			_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO inquiries_sent (id, sent_at, rejected) VALUES (?, ?, ?)`, id, now, reason)
			return err
		}
		for _, id := range ids {
			if err := mark(id, ""); err != nil {
				return err
			}
		}
		for id, reason := range rejected {
			if reason == "" {
				reason = "refused"
			}
			if err := mark(id, reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark inquiries sent: %w", err)
	}
	return nil
}

// RejectedInquiries returns this device's entries the platform refused,
// id → reason, for staff to look at.
func (d *DB) RejectedInquiries(ctx context.Context) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, rejected FROM inquiries_sent WHERE rejected != ''`)
	if err != nil {
		return nil, fmt.Errorf("store: rejected inquiries: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, fmt.Errorf("store: rejected inquiries: %w", err)
		}
		out[id] = reason
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rejected inquiries: %w", err)
	}
	return out, nil
}

// RemoteInquiriesOf returns the inquiries into a subject made at other
// terminals, newest first.
func (d *DB) RemoteInquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error) {
	out, err := d.queryInquiries(ctx, `SELECT `+inquiryColumns+` FROM remote_inquiries
WHERE subject_id = ? ORDER BY at DESC, id`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store: remote inquiries of: %w", err)
	}
	return out, nil
}

// deleteRemoteInquiries deletes the entries made at other terminals about
// subject (it left the cache).
func deleteRemoteInquiries(ctx context.Context, tx *sql.Tx, subject string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM remote_inquiries WHERE subject_id = ?`, subject); err != nil {
		return fmt.Errorf("delete remote inquiries: %w", err)
	}
	return nil
}

// applyInquiry stores an entry of the change feed made at another
// terminal. This device's own entries come back too: they are recognised
// by id and left alone, so the hash chain is not disturbed and nothing is
// shown twice. The same entry again is a no-op.
func applyInquiry(ctx context.Context, tx *sql.Tx, c credit.Change) error {
	q := *c.Inquiry
	if q.ID == "" || q.ID != c.ID || q.SubjectID == "" || q.Channel == "" || q.At.IsZero() {
		return credit.Errorf(credit.EINVALID, "同步的查询记录不完整。", "The inquiry put %q is incomplete.", c.ID)
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM inquiries WHERE id = ?`, q.ID).Scan(&one)
	if err == nil {
		return nil // our own entry
	}
	if !errNoRows(err) {
		return fmt.Errorf("look up inquiry: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO remote_inquiries (`+inquiryColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		q.ID, q.SubjectID, string(q.InquirerKind), q.InquirerID, q.Purpose, q.AuthRef, q.Channel, q.At.UnixNano())
	if err != nil {
		return fmt.Errorf("store remote inquiry: %w", err)
	}
	return nil
}

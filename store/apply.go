package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
)

// ApplyPage applies one page of the platform's change feed and saves next
// as the cursor and asOf as the data-as-of time, all in one transaction:
//
//   - a put overwrites only a lower stored version; subject puts rebuild the
//     name index;
//   - a del of a record deletes it; a del of a subject deletes the subject,
//     its records and its index rows; a del never fails for a missing row;
//   - an application_status put updates the application's status when its
//     version is newer than the last one applied;
//   - every del leaves a content-free tombstone (type, id, seq, time) and
//     also removes a quarantined put of the same id;
//   - an invalid put (a record or subject that does not validate) goes to
//     the quarantine table instead of failing the page, so a poison record
//     never holds up a deletion on the same page.
//
// After a
// page with deletions, the WAL is checkpointed (TRUNCATE) so that deleted
// content leaves the -wal file too; secure_delete zeroes it in the main file.
func (d *DB) ApplyPage(ctx context.Context, changes []credit.Change, next string, asOf time.Time) error {
	deleted := false
	appliedAt := d.now().UnixNano()
	err := d.withWriter(ctx, func(w *writer) error {
		var gen int64
		if err := w.tx.QueryRowContext(ctx, `SELECT coalesce((SELECT done_gen FROM resync_state WHERE id = 1), 0)`).Scan(&gen); err != nil {
			return fmt.Errorf("generation: %w", err)
		}
		for i, c := range changes {
			del, err := d.applyChange(ctx, w, c, appliedAt)
			if err != nil && c.Op == credit.OpPut && credit.ErrorCode(err) == credit.EINVALID {
				d.log.WarnContext(ctx, "store: put quarantined", "type", string(c.Type), "seq", c.Seq, "err", credit.ErrorMessageEN(err))
				err = quarantine(ctx, w.tx, c, credit.ErrorMessageEN(err), gen, appliedAt)
			}
			if err != nil {
				return fmt.Errorf("change %d (seq %d, %s %s): %w", i, c.Seq, c.Op, c.Type, err)
			}
			deleted = deleted || del
		}
		failpoint.Hit("store.apply.before-cursor") // F13: page applied in the open transaction, cursor not yet saved
		_, err := w.tx.ExecContext(ctx, `INSERT INTO sync_state (id, cursor, data_as_of) VALUES (1, ?, ?)
ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, data_as_of = excluded.data_as_of`, next, nanos(asOf))
		if err != nil {
			return fmt.Errorf("save cursor: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: apply page: %w", err)
	}
	failpoint.Hit("store.apply.committed") // F13: page and cursor committed, WAL not yet checkpointed
	d.mu.Lock()
	pending := d.checkpointPending || deleted
	d.mu.Unlock()
	if pending {
		d.log.InfoContext(ctx, "store: applied deletions", "changes", len(changes))
		d.checkpoint(ctx)
	}
	return nil
}

// applyChange applies one change and reports whether it was a deletion.
func (d *DB) applyChange(ctx context.Context, w *writer, c credit.Change, appliedAt int64) (bool, error) {
	switch c.Op {
	case credit.OpDel:
		return true, d.applyDel(ctx, w, c, appliedAt)
	case credit.OpPut:
		return false, d.applyPut(ctx, w, c)
	}
	return false, credit.Errorf(credit.EINVALID, "未知的同步操作。", "Unknown change operation %q.", c.Op)
}

func (d *DB) applyPut(ctx context.Context, w *writer, c credit.Change) error {
	switch c.Type {
	case credit.TypeSubject:
		if c.Subject == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少主体。", "The subject put carries no subject.")
		}
		s := *c.Subject
		if c.ID != "" && c.ID != s.ID {
			return credit.Errorf(credit.EINVALID, "同步数据编号不一致。", "The change's id differs from the subject's.")
		}
		if c.Version != 0 {
			s.Version = c.Version
		}
		_, err := w.putSubject(ctx, s)
		return err
	case credit.TypeRecord:
		if c.Record == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少记录。", "The record put carries no record.")
		}
		r := *c.Record
		if c.ID != "" && c.ID != r.ID {
			return credit.Errorf(credit.EINVALID, "同步数据编号不一致。", "The change's id %q differs from the record's %q.", c.ID, r.ID)
		}
		if c.Version != 0 {
			r.Version = c.Version
		}
		_, err := w.putRecord(ctx, r)
		return err
	case credit.TypeApplicationStatus:
		if c.Status == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少办理状态。", "The status put carries no status.")
		}
		return applyStatus(ctx, w.tx, c)
	case credit.TypeInquiry:
		if c.Inquiry == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少查询记录。", "The inquiry put carries no inquiry.")
		}
		return applyInquiry(ctx, w.tx, c) // remote_inquiries.go
	}
	// Unknown types come from a newer platform; skip them (sync.md §2.8).
	d.log.WarnContext(ctx, "store: skipped change of unknown type", "type", string(c.Type), "seq", c.Seq)
	return nil
}

// applyStatus moves an objection or restoration to the platform's status unless a newer
// version was applied already (version 0 always applies). Statuses of
// applications this device does not hold are ignored.
func applyStatus(ctx context.Context, tx *sql.Tx, c credit.Change) error {
	u := *c.Status
	id := u.ApplicationID
	if id == "" {
		id = c.ID
	}
	if u.Status == "" {
		return credit.Errorf(credit.EINVALID, "办理状态为空。", "The application status is empty.")
	}
	for _, table := range applicationTables {
		_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET status = ?, status_note = ?, status_at = ?, status_version = ?
WHERE id = ? AND (? = 0 OR status_version < ?)`, string(u.Status), u.Note, nanos(u.At), c.Version, id, c.Version, c.Version)
		if err != nil {
			return fmt.Errorf("status: %w", err)
		}
	}
	return nil
}

func (d *DB) applyDel(ctx context.Context, w *writer, c credit.Change, appliedAt int64) error {
	tombID := c.ID
	switch c.Type {
	case credit.TypeSubject:
		if err := w.deleteSubject(ctx, c.ID); err != nil {
			return err
		}
		// Its inquiry log entries from other terminals go with it
		// (remote_inquiries.go): they hold the ID number, and a subject
		// leaves the cache only when the platform stops sending it here
		// (e.g. out_of_scope, syncserver scope_move.go). The platform
		// keeps the log (Art. 24).
		if err := deleteRemoteInquiries(ctx, w.tx, c.ID); err != nil {
			return err
		}
		// A natural person's number is masked even in the tombstone.
		if id, kind, err := credit.ParseSubjectID(c.ID); err == nil && kind == credit.NaturalPerson {
			tombID = credit.IDNumber(id).Masked()
		}
	case credit.TypeRecord:
		if err := w.deleteRecord(ctx, c.ID); err != nil {
			return err
		}
	}
	if _, err := w.tx.ExecContext(ctx, `DELETE FROM quarantine WHERE type = ? AND id = ?`, string(c.Type), c.ID); err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	_, err := w.tx.ExecContext(ctx, `INSERT INTO tombstones (seq, type, id, applied_at) VALUES (?, ?, ?, ?)`,
		c.Seq, string(c.Type), tombID, appliedAt)
	if err != nil {
		return fmt.Errorf("tombstone: %w", err)
	}
	return nil
}

// checkpoint copies the WAL into the main file and truncates it, so that
// deleted rows survive in neither. TRUNCATE waits for readers through the
// busy handler (busy_timeout); if it still cannot finish, the next
// ApplyPage tries again.
func (d *DB) checkpoint(ctx context.Context) {
	err := d.Checkpoint(ctx)
	d.mu.Lock()
	d.checkpointPending = err != nil
	d.mu.Unlock()
	if err != nil {
		d.log.WarnContext(ctx, "store: WAL checkpoint incomplete; will retry", "err", err)
	}
}

// Checkpoint forces a WAL checkpoint (TRUNCATE) now.
func (d *DB) Checkpoint(ctx context.Context) error {
	var busy, logPages, done int
	if err := d.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("store: checkpoint: %w", errCheckpointBusy)
	}
	return nil
}

// errCheckpointBusy: a reader or writer kept the checkpoint from finishing.
var errCheckpointBusy = errors.New("database busy; WAL not fully checkpointed")

// Tombstone is a content-free trace of an applied deletion.
type Tombstone struct {
	Seq       int64
	Type      credit.ChangeType
	ID        string // masked for natural persons
	AppliedAt time.Time
}

// Tombstones lists applied deletions with seq > after, in seq order.
func (d *DB) Tombstones(ctx context.Context, after int64) ([]Tombstone, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT seq, type, id, applied_at FROM tombstones WHERE seq > ? ORDER BY seq, rowid`, after)
	if err != nil {
		return nil, fmt.Errorf("store: tombstones: %w", err)
	}
	defer rows.Close()
	var out []Tombstone
	for rows.Next() {
		var t Tombstone
		var typ string
		var at sql.NullInt64
		if err := rows.Scan(&t.Seq, &typ, &t.ID, &at); err != nil {
			return nil, fmt.Errorf("store: tombstones: %w", err)
		}
		t.Type, t.AppliedAt = credit.ChangeType(typ), fromNanos(at)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tombstones: %w", err)
	}
	return out, nil
}

// quarantine keeps a put that could not be applied aside (replacing an
// earlier one of the same type and id), with its data as JSON.
func quarantine(ctx context.Context, tx *sql.Tx, c credit.Change, reason string, gen, at int64) error {
	var v any
	switch {
	case c.Record != nil:
		v = c.Record
	case c.Subject != nil:
		v = c.Subject
	case c.Status != nil:
		v = c.Status
	}
	var data []byte
	if v != nil {
		data, _ = json.Marshal(v) // plain structs always marshal
	}
	return insertQuarantine(ctx, tx, c.Seq, string(c.Type), c.ID, c.Version, data, reason, gen, at)
}

// insertQuarantine is the statement behind Quarantine and quarantine.
func insertQuarantine(ctx context.Context, tx *sql.Tx, seq int64, typ, id string, ver int64, data []byte, reason string, gen, at int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO quarantine (type, id, seq, version, reason, data, resync_gen, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, id) DO UPDATE SET seq = excluded.seq, version = excluded.version, reason = excluded.reason,
	data = excluded.data, resync_gen = excluded.resync_gen, received_at = excluded.received_at`,
		typ, id, seq, ver, reason, data, gen, at)
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	return nil
}

// Quarantine keeps aside a put of the change feed that could not even be
// decoded (data is its raw JSON), so that the rest of its page applies.
// A later del of the same type and id removes it, and so does a resync
// whose snapshot does not hold it.
func (d *DB) Quarantine(ctx context.Context, seq int64, typ, id string, ver int64, data []byte, reason string) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var gen int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT max(done_gen, CASE active WHEN 1 THEN target_gen ELSE 0 END) FROM resync_state WHERE id = 1), 0)`).Scan(&gen); err != nil {
			return err
		}
		return insertQuarantine(ctx, tx, seq, typ, id, ver, data, reason, gen, d.now().UnixNano())
	})
	if err != nil {
		return fmt.Errorf("store: quarantine: %w", err)
	}
	d.log.WarnContext(ctx, "store: put quarantined", "type", typ, "seq", seq)
	return nil
}

// QuarantinedPut describes a quarantined put for staff (no content).
type QuarantinedPut struct {
	Type       credit.ChangeType
	ID         string
	Seq        int64
	Version    int64
	Reason     string
	ReceivedAt time.Time
}

// QuarantinedPuts lists the quarantined puts, oldest first.
func (d *DB) QuarantinedPuts(ctx context.Context) ([]QuarantinedPut, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT type, id, seq, version, reason, received_at FROM quarantine ORDER BY received_at, seq`)
	if err != nil {
		return nil, fmt.Errorf("store: quarantined puts: %w", err)
	}
	defer rows.Close()
	var out []QuarantinedPut
	for rows.Next() {
		var q QuarantinedPut
		var typ string
		var at sql.NullInt64
		if err := rows.Scan(&typ, &q.ID, &q.Seq, &q.Version, &q.Reason, &at); err != nil {
			return nil, fmt.Errorf("store: quarantined puts: %w", err)
		}
		q.Type, q.ReceivedAt = credit.ChangeType(typ), fromNanos(at)
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: quarantined puts: %w", err)
	}
	return out, nil
}

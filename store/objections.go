package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	credit "github.com/gansu-credit/credit"
)

// SaveObjection durably captures an objection and its outbox row (the
// frozen JSON body and its SHA-256) in one transaction run with
// synchronous=FULL on a dedicated connection; it returns after the commit.
// Saving the same ID again is a no-op. Another open objection against the
// same record fails with ECONFLICT naming that objection's number.
func (d *DB) SaveObjection(ctx context.Context, o credit.Objection) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.No == "" {
		return credit.Errorf(credit.EINVALID, "缺少申请编号。", "The application number is missing.")
	}
	if o.Status == "" {
		o.Status = credit.StatusQueued
	}
	body, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("store: save objection: %w", err)
	}

	now := d.now().UnixNano()
	return d.capture(ctx, "save objection", func(tx *sql.Tx) error {
		return saveObjectionTx(ctx, tx, o, body, now)
	})
}

// capture runs fn in one transaction on a dedicated connection switched to
// synchronous=FULL, so that a captured application survives a power cut
// once this returns. User-facing errors come back unwrapped.
func (d *DB) capture(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	defer d.restoreSynchronous(ctx, conn)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: begin: %w", op, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		var ce *credit.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("store: %s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: commit: %w", op, err)
	}
	return nil
}

// restoreSynchronous puts the pooled connection back to synchronous=NORMAL,
// or discards it if that fails.
func (d *DB) restoreSynchronous(ctx context.Context, conn *sql.Conn) {
	ctx = context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		d.log.WarnContext(ctx, "store: restore synchronous=NORMAL failed; dropping connection", "err", err)
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

func saveObjectionTx(ctx context.Context, tx *sql.Tx, o credit.Objection, body []byte, now int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM objections WHERE id = ?`, o.ID).Scan(&one)
	if err == nil {
		return nil // already captured: idempotent
	}
	if !errNoRows(err) {
		return err
	}
	var openNo string
	err = tx.QueryRowContext(ctx, `SELECT no FROM objections WHERE record_id = ? AND status NOT IN `+closedStatuses+`
ORDER BY received_at LIMIT 1`, o.RecordID).Scan(&openNo)
	if err == nil {
		return credit.Errorf(credit.ECONFLICT, "该记录已有正在办理的异议申请（%s），请等待处理结果。",
			"This record already has an open objection (%s); please wait for its outcome.", openNo)
	}
	if !errNoRows(err) {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO objections (id, no, subject_id, subject_name, record_id, type,
	statement, contact, channel, received_at, label_due, decision_due, status)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.No, o.SubjectID, o.SubjectName, o.RecordID, string(o.Type), o.Statement, o.Contact, o.Channel,
		o.ReceivedAt.UnixNano(), nanos(o.LabelDue), nanos(o.DecisionDue), string(o.Status))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return credit.Errorf(credit.ECONFLICT, "申请编号%s已被使用。", "The application number %s is already in use.", o.No)
		}
		return err
	}
	return enqueue(ctx, tx, o.ID, credit.KindObjection, body, now)
}

// enqueue adds the outbox row of a captured application.
func enqueue(ctx context.Context, tx *sql.Tx, id string, kind credit.ApplicationKind, body []byte, now int64) error {
	sum := sha256.Sum256(body)
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, body, digest, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?)`, id, string(kind), body, hex.EncodeToString(sum[:]), now, now)
	return err
}

const objectionCols = `id, no, subject_id, subject_name, record_id, type, statement, contact, channel,
	received_at, label_due, decision_due, status`

func scanObjection(sc interface{ Scan(...any) error }) (credit.Objection, error) {
	var o credit.Objection
	var typ, status string
	var recv, label, decision sql.NullInt64
	err := sc.Scan(&o.ID, &o.No, &o.SubjectID, &o.SubjectName, &o.RecordID, &typ, &o.Statement, &o.Contact,
		&o.Channel, &recv, &label, &decision, &status)
	o.Type, o.Status = credit.ObjectionType(typ), credit.ApplicationStatus(status)
	o.ReceivedAt, o.LabelDue, o.DecisionDue = fromNanos(recv), fromNanos(label), fromNanos(decision)
	return o, err
}

// Objection returns the objection with this ID, or ENOTFOUND.
func (d *DB) Objection(ctx context.Context, id string) (credit.Objection, error) {
	o, err := scanObjection(d.db.QueryRowContext(ctx, `SELECT `+objectionCols+` FROM objections WHERE id = ?`, id))
	if errNoRows(err) {
		return credit.Objection{}, credit.Errorf(credit.ENOTFOUND, "未找到该异议申请。", "No such objection.")
	}
	if err != nil {
		return credit.Objection{}, fmt.Errorf("store: objection: %w", err)
	}
	return o, nil
}

// ObjectionsOf returns the subject's objections, newest first.
func (d *DB) ObjectionsOf(ctx context.Context, subjectID string) ([]credit.Objection, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+objectionCols+` FROM objections WHERE subject_id = ?
ORDER BY received_at DESC, id`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store: objections of: %w", err)
	}
	defer rows.Close()
	out := []credit.Objection{}
	for rows.Next() {
		o, err := scanObjection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: objections of: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: objections of: %w", err)
	}
	return out, nil
}

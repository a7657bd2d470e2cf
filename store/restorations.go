package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	credit "github.com/gansu-credit/credit"
)

// SaveRestoration durably captures a credit-restoration application and
// its outbox row exactly as SaveObjection does: one synchronous=FULL
// transaction, a frozen JSON body, the same ID again is a no-op, and
// another open restoration for the same record fails with ECONFLICT
// naming its number.
func (d *DB) SaveRestoration(ctx context.Context, r credit.Restoration) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.No == "" {
		return credit.Errorf(credit.EINVALID, "缺少申请编号。", "The application number is missing.")
	}
	if r.Status == "" {
		r.Status = credit.StatusQueued
	}
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: save restoration: %w", err)
	}
	now := d.now().UnixNano()
	return d.capture(ctx, "save restoration", func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM restorations WHERE id = ?`, r.ID).Scan(&one)
		if err == nil {
			return nil // already captured: idempotent
		}
		if !errNoRows(err) {
			return err
		}
		var openNo string
		err = tx.QueryRowContext(ctx, `SELECT no FROM restorations WHERE record_id = ? AND status NOT IN `+closedStatuses+`
ORDER BY received_at LIMIT 1`, r.RecordID).Scan(&openNo)
		if err == nil {
			return credit.Errorf(credit.ECONFLICT, "该记录已有正在办理的信用修复申请（%s），请等待处理结果。",
				"This record already has an open restoration application (%s); please wait for its outcome.", openNo)
		}
		if !errNoRows(err) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO restorations (id, no, subject_id, subject_name, record_id,
	performance, committed, contact, channel, received_at, accept_due, feedback_due, status)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.No, r.SubjectID, r.SubjectName, r.RecordID, r.Performance, r.Committed, r.Contact, r.Channel,
			r.ReceivedAt.UnixNano(), nanos(r.AcceptDue), nanos(r.FeedbackDue), string(r.Status))
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return credit.Errorf(credit.ECONFLICT, "申请编号%s已被使用。", "The application number %s is already in use.", r.No)
			}
			return err
		}
		return enqueue(ctx, tx, r.ID, credit.KindRestoration, body, now)
	})
}

const restorationCols = `id, no, subject_id, subject_name, record_id, performance, committed, contact, channel,
	received_at, accept_due, feedback_due, status`

func scanRestoration(sc interface{ Scan(...any) error }) (credit.Restoration, error) {
	var r credit.Restoration
	var status string
	var recv, accept, feedback sql.NullInt64
	err := sc.Scan(&r.ID, &r.No, &r.SubjectID, &r.SubjectName, &r.RecordID, &r.Performance, &r.Committed,
		&r.Contact, &r.Channel, &recv, &accept, &feedback, &status)
	r.Status = credit.ApplicationStatus(status)
	r.ReceivedAt, r.AcceptDue, r.FeedbackDue = fromNanos(recv), fromNanos(accept), fromNanos(feedback)
	return r, err
}

// Restoration returns the restoration application with this ID, or
// ENOTFOUND.
func (d *DB) Restoration(ctx context.Context, id string) (credit.Restoration, error) {
	r, err := scanRestoration(d.db.QueryRowContext(ctx, `SELECT `+restorationCols+` FROM restorations WHERE id = ?`, id))
	if errNoRows(err) {
		return credit.Restoration{}, credit.Errorf(credit.ENOTFOUND, "未找到该信用修复申请。", "No such restoration application.")
	}
	if err != nil {
		return credit.Restoration{}, fmt.Errorf("store: restoration: %w", err)
	}
	return r, nil
}

// RestorationsOf returns the subject's restoration applications, newest
// first.
func (d *DB) RestorationsOf(ctx context.Context, subjectID string) ([]credit.Restoration, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+restorationCols+` FROM restorations WHERE subject_id = ?
ORDER BY received_at DESC, id`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store: restorations of: %w", err)
	}
	defer rows.Close()
	out := []credit.Restoration{}
	for rows.Next() {
		r, err := scanRestoration(rows)
		if err != nil {
			return nil, fmt.Errorf("store: restorations of: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: restorations of: %w", err)
	}
	return out, nil
}

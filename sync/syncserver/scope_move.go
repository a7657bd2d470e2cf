package syncserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// ReasonOutOfScope is the reason of the tombstones a subject leaves in
// its old region when it moves to another one (issue 3): the devices of
// the old scope erase it and its records; the devices of the new scope
// get its puts; a device serving both (or the whole province) gets the
// tombstones and then the puts, and keeps it.
const ReasonOutOfScope = "out_of_scope"

// subjectMove is a subject's region change found while re-putting it.
type subjectMove struct {
	id, from, to string
}

// moveOut logs, before subject id is re-put with body, the tombstones of
// its old region when the new body names another region: a del of the
// subject and of each of its records, carrying only type, id, version
// and ReasonOutOfScope, logged in the old region (changeRegion reads it
// from the subject's last log row). logChange keeps these tombstones when
// the puts of the new region follow. It returns the move (nil for none);
// moveIn completes it after the subject row is written.
func moveOut(ctx context.Context, tx *sql.Tx, id string, body []byte, ver int64, at time.Time) (*subjectMove, error) {
	var from string
	err := tx.QueryRowContext(ctx, `SELECT region FROM subjects WHERE id = ?`, id).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("region of subject %s: %w", id, err)
	}
	to := subjectRegion(id, body)
	if from == "" || from == to {
		return nil, nil
	}
	if _, err := logChange(ctx, tx, protocol.Line{Op: protocol.OpDel, T: string(credit.TypeSubject), ID: id, Ver: ver, Why: ReasonOutOfScope}, "", at); err != nil {
		return nil, err
	}
	recs, err := subjectRecordVersions(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if _, err := logChange(ctx, tx, protocol.Line{Op: protocol.OpDel, T: string(credit.TypeRecord), ID: r.id, Ver: r.ver, Why: ReasonOutOfScope}, "", at); err != nil {
			return nil, err
		}
	}
	return &subjectMove{id: id, from: from, to: to}, nil
}

// moveIn re-logs the puts of a moved subject's records and of the
// inquiry log entries about it (Art. 24, 45; inquiries.go) in its new
// region (the subject's own put is logged by the caller before), so the
// devices of the new scope receive them.
func moveIn(ctx context.Context, tx *sql.Tx, m *subjectMove, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE records SET region = ? WHERE subject_id = ?`, m.to, m.id); err != nil {
		return fmt.Errorf("move records of %s: %w", m.id, err)
	}
	recs, err := subjectRecordVersions(ctx, tx, m.id)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := logChange(ctx, tx, protocol.Line{Op: protocol.OpPut, T: string(credit.TypeRecord), ID: r.id, Ver: r.ver, D: r.body}, "", at); err != nil {
			return err
		}
	}
	inqs, err := subjectInquiries(ctx, tx, m.id)
	if err != nil {
		return err
	}
	for _, q := range inqs {
		if _, err := logChange(ctx, tx, protocol.Line{Op: protocol.OpPut, T: string(credit.TypeInquiry), ID: q.id, Ver: 1, D: q.body}, "", at); err != nil {
			return err
		}
	}
	return nil
}

// subjectInquiries lists the inquiry log entries about subject id (ver 1,
// as received).
func subjectInquiries(ctx context.Context, tx *sql.Tx, id string) ([]recordVersion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, 1, body FROM inquiries WHERE subject_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("inquiries of %s: %w", id, err)
	}
	return scanRowVersions(rows, "inquiries of "+id)
}

type recordVersion struct {
	id   string
	ver  int64
	body []byte
}

// subjectRecordVersions lists the stored records of subject id.
func subjectRecordVersions(ctx context.Context, tx *sql.Tx, id string) ([]recordVersion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, ver, body FROM records WHERE subject_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("records of %s: %w", id, err)
	}
	return scanRowVersions(rows, "records of "+id)
}

// scanRowVersions reads (id, ver, body) rows and closes them; op names
// the read in errors.
func scanRowVersions(rows *sql.Rows, op string) ([]recordVersion, error) {
	defer rows.Close()
	var out []recordVersion
	for rows.Next() {
		var r recordVersion
		var body string
		if err := rows.Scan(&r.id, &r.ver, &body); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		r.body = []byte(body)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

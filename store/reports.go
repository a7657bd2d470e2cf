package store

import (
	"context"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// LogReport records that report no about subjectID was issued at at, for
// the Art. 45 count (app.ReportLog). Logging the same number again is a
// no-op.
func (d *DB) LogReport(ctx context.Context, subjectID, no string, at time.Time) error {
	if subjectID == "" || no == "" || at.IsZero() {
		return credit.Errorf(credit.EINVALID, "报告记录不完整。", "The report log entry is incomplete.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO reports_issued (no, subject_id, issued_at) VALUES (?, ?, ?)
ON CONFLICT (no) DO NOTHING`, no, subjectID, at.UnixNano())
	if err != nil {
		return fmt.Errorf("store: log report: %w", err)
	}
	return nil
}

// ReportsIssued returns when reports about subjectID were issued at or
// after since, oldest first.
func (d *DB) ReportsIssued(ctx context.Context, subjectID string, since time.Time) ([]time.Time, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT issued_at FROM reports_issued WHERE subject_id = ? AND issued_at >= ?
ORDER BY issued_at`, subjectID, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("store: reports issued: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: reports issued: %w", err)
		}
		out = append(out, time.Unix(0, n))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reports issued: %w", err)
	}
	return out, nil
}

// ObjectionByNo returns the objection with this application number, or
// ENOTFOUND (app.ApplicationLookup).
func (d *DB) ObjectionByNo(ctx context.Context, no string) (credit.Objection, error) {
	o, err := scanObjection(d.db.QueryRowContext(ctx, `SELECT `+objectionCols+` FROM objections WHERE no = ?`, no))
	if errNoRows(err) {
		return credit.Objection{}, credit.Errorf(credit.ENOTFOUND, "未找到该异议申请。", "No such objection.")
	}
	if err != nil {
		return credit.Objection{}, fmt.Errorf("store: objection by no: %w", err)
	}
	return o, nil
}

// RestorationByNo returns the restoration application with this number,
// or ENOTFOUND (app.ApplicationLookup).
func (d *DB) RestorationByNo(ctx context.Context, no string) (credit.Restoration, error) {
	r, err := scanRestoration(d.db.QueryRowContext(ctx, `SELECT `+restorationCols+` FROM restorations WHERE no = ?`, no))
	if errNoRows(err) {
		return credit.Restoration{}, credit.Errorf(credit.ENOTFOUND, "未找到该信用修复申请。", "No such restoration application.")
	}
	if err != nil {
		return credit.Restoration{}, fmt.Errorf("store: restoration by no: %w", err)
	}
	return r, nil
}

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

// ReportRegistration is an issued report as the platform's online lookup
// knows it: only what is printed on the paper (§6 of the reports design).
type ReportRegistration struct {
	No               string // report number (报告编号)
	Code             string // 8-character verification code (核验码)
	KID              string // signing key id, 16 lower-case hex digits
	IssuedAt         time.Time
	Expires          time.Time
	Type             int    // report.ReportType
	SubjectIDDisplay string // masked ID number or USCC, as printed
	Attempts         int    // sends tried so far
}

// QueueReportRegistration keeps r until it is registered with the
// platform. Queuing the same number again changes nothing.
func (d *DB) QueueReportRegistration(ctx context.Context, r ReportRegistration) error {
	if r.No == "" || r.Code == "" || r.KID == "" || r.IssuedAt.IsZero() || r.Expires.IsZero() || r.SubjectIDDisplay == "" {
		return credit.Errorf(credit.EINVALID, "报告登记信息不完整。", "The report registration is incomplete.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO report_registrations
(no, code, kid, issued_at, expires_at, report_type, subject_display, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (no) DO NOTHING`, r.No, r.Code, r.KID, r.IssuedAt.Unix(), r.Expires.Unix(), r.Type, r.SubjectIDDisplay, d.now().UnixNano())
	if err != nil {
		return fmt.Errorf("store: queue report registration: %w", err)
	}
	return nil
}

// PendingReportRegistrations returns up to limit reports not yet
// registered (nor refused), oldest first.
func (d *DB) PendingReportRegistrations(ctx context.Context, limit int) ([]ReportRegistration, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT no, code, kid, issued_at, expires_at, report_type, subject_display, attempts
FROM report_registrations WHERE done_at IS NULL ORDER BY queued_at, no LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending report registrations: %w", err)
	}
	defer rows.Close()
	var out []ReportRegistration
	for rows.Next() {
		var r ReportRegistration
		var iat, exp int64
		if err := rows.Scan(&r.No, &r.Code, &r.KID, &iat, &exp, &r.Type, &r.SubjectIDDisplay, &r.Attempts); err != nil {
			return nil, fmt.Errorf("store: pending report registrations: %w", err)
		}
		r.IssuedAt, r.Expires = time.Unix(iat, 0).UTC(), time.Unix(exp, 0).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending report registrations: %w", err)
	}
	return out, nil
}

// FinishReportRegistration records the platform's answer for report no:
// refused "" when it was registered, else the refusal, kept for the
// operator; either way it is no longer sent. A failure to reach the
// platform is not an answer: call ReportRegistrationAttempt instead.
func (d *DB) FinishReportRegistration(ctx context.Context, no, refused string) error {
	_, err := d.db.ExecContext(ctx, `UPDATE report_registrations SET done_at = ?, refused = ?, attempts = attempts + 1
WHERE no = ? AND done_at IS NULL`, d.now().UnixNano(), refused, no)
	if err != nil {
		return fmt.Errorf("store: finish report registration: %w", err)
	}
	return nil
}

// ReportRegistrationAttempt counts a send of report no that did not reach
// the platform; it stays pending.
func (d *DB) ReportRegistrationAttempt(ctx context.Context, no string) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE report_registrations SET attempts = attempts + 1 WHERE no = ? AND done_at IS NULL`, no); err != nil {
		return fmt.Errorf("store: report registration attempt: %w", err)
	}
	return nil
}

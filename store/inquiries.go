package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// LogInquiry appends q to the inquiry log. Logging the same ID again is a
// no-op. The Art. 23 rules are the caller's (q.Validate needs the subject's
// kind); the store only refuses entries without an ID, subject or time.
func (d *DB) LogInquiry(ctx context.Context, q credit.Inquiry) error {
	if q.ID == "" || q.SubjectID == "" || q.At.IsZero() {
		return credit.Errorf(credit.EINVALID, "查询记录不完整。", "The inquiry log entry is incomplete.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO inquiries (id, subject_id, inquirer_kind, inquirer_id, purpose,
	auth_ref, channel, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		q.ID, q.SubjectID, string(q.InquirerKind), q.InquirerID, q.Purpose, q.AuthRef, q.Channel, q.At.UnixNano())
	if err != nil {
		return fmt.Errorf("store: log inquiry: %w", err)
	}
	return nil
}

// InquiriesOf returns the inquiries into a subject, newest first.
func (d *DB) InquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, subject_id, inquirer_kind, inquirer_id, purpose, auth_ref, channel, at
FROM inquiries WHERE subject_id = ? ORDER BY at DESC, rowid DESC`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store: inquiries of: %w", err)
	}
	defer rows.Close()
	out := []credit.Inquiry{}
	for rows.Next() {
		var q credit.Inquiry
		var kind string
		var at sql.NullInt64
		if err := rows.Scan(&q.ID, &q.SubjectID, &kind, &q.InquirerID, &q.Purpose, &q.AuthRef, &q.Channel, &at); err != nil {
			return nil, fmt.Errorf("store: inquiries of: %w", err)
		}
		q.InquirerKind, q.At = credit.InquirerKind(kind), fromNanos(at)
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: inquiries of: %w", err)
	}
	return out, nil
}

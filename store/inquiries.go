package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// LogInquiry appends q to the inquiry log, as the next link of its
// device's hash chain (audit.go), in one transaction. Logging the same ID
// again is a no-op. The Art. 23 rules are the caller's (q.Validate needs the subject's
// kind); the store only refuses entries without an ID, subject or time.
func (d *DB) LogInquiry(ctx context.Context, q credit.Inquiry) error {
	if q.ID == "" || q.SubjectID == "" || q.At.IsZero() {
		return credit.Errorf(credit.EINVALID, "查询记录不完整。", "The inquiry log entry is incomplete.")
	}
	e := auditEntry{id: q.ID, subject: q.SubjectID, kind: string(q.InquirerKind), inquirer: q.InquirerID,
		purpose: q.Purpose, authRef: q.AuthRef, channel: q.Channel, at: q.At.UnixNano()}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM inquiries WHERE id = ?`, q.ID).Scan(&one)
		if err == nil {
			return nil // logged already
		}
		if !errNoRows(err) {
			return err
		}
		seq, prev, err := chainHead(ctx, tx, q.Channel)
		if err != nil {
			return err
		}
		seq++
		hash := e.digest(prev)
		if _, err := tx.ExecContext(ctx, `INSERT INTO inquiries (id, subject_id, inquirer_kind, inquirer_id, purpose,
	auth_ref, channel, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.id, e.subject, e.kind, e.inquirer, e.purpose, e.authRef, e.channel, e.at); err != nil {
			return err
		}
		if err := link(ctx, tx, e, seq, prev, hash); err != nil {
			return err
		}
		return setHead(ctx, tx, q.Channel, seq, hash)
	})
	if err != nil {
		return fmt.Errorf("store: log inquiry: %w", err)
	}
	return nil
}

// InquiriesOf returns the inquiries into a subject, newest first.
func (d *DB) InquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error) {
	out, err := d.queryInquiries(ctx, `SELECT `+inquiryColumns+` FROM inquiries
WHERE subject_id = ? ORDER BY at DESC, rowid DESC`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("store: inquiries of: %w", err)
	}
	return out, nil
}

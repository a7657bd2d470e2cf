package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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

// maxInquiryPage bounds one page of the inquiry log.
const maxInquiryPage = 200

// InquiryLog returns one page of this device's own inquiry log (the
// hash-chained table; entries from other terminals are not in it), newest
// first, each with its chain position, and the number of entries the
// filter selects (Art. 24, 25, 45: the supervisor's audit view). Limit is
// clamped to 1..200 (0: 50); a negative offset is 0.
func (d *DB) InquiryLog(ctx context.Context, f credit.InquiryFilter) (credit.InquiryPage, error) {
	where, args := inquiryWhere(f)
	var page credit.InquiryPage
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inquiries i`+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("store: inquiry log: %w", err)
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 50
	case limit > maxInquiryPage:
		limit = maxInquiryPage
	}
	rows, err := d.db.QueryContext(ctx, `SELECT i.id, i.subject_id, i.inquirer_kind, i.inquirer_id, i.purpose, i.auth_ref,
	i.channel, i.at, COALESCE(c.seq, 0), COALESCE(r.records, -1)
FROM inquiries i LEFT JOIN inquiry_chain c ON c.inquiry_id = i.id
	LEFT JOIN inquiry_results r ON r.inquiry_id = i.id`+where+`
ORDER BY i.at DESC, i.rowid DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return page, fmt.Errorf("store: inquiry log: %w", err)
	}
	defer rows.Close()
	page.Entries = []credit.LoggedInquiry{}
	for rows.Next() {
		e := auditEntry{hasRow: true}
		var pos int64
		var results int
		if err := rows.Scan(&e.id, &e.subject, &e.kind, &e.inquirer, &e.purpose, &e.authRef, &e.channel, &e.at, &pos, &results); err != nil {
			return page, fmt.Errorf("store: inquiry log: %w", err)
		}
		page.Entries = append(page.Entries, credit.LoggedInquiry{Inquiry: e.inquiry(), Position: pos, Results: results})
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: inquiry log: %w", err)
	}
	return page, nil
}

// inquiryWhere is the WHERE clause (with its leading space; "" for none)
// and arguments of f, on the inquiries table aliased i.
func inquiryWhere(f credit.InquiryFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) { conds = append(conds, cond); args = append(args, arg) }
	if !f.From.IsZero() {
		add("i.at >= ?", f.From.UnixNano())
	}
	if !f.To.IsZero() {
		add("i.at < ?", f.To.UnixNano())
	}
	if f.Inquirer != "" {
		add("i.inquirer_id = ?", f.Inquirer)
	}
	if f.Channel != "" {
		add("i.channel = ?", f.Channel)
	}
	if f.Purpose != "" {
		add("i.purpose = ?", f.Purpose)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// SetInquiryResult records how many records the logged inquiry id showed
// (0: the subject was not found), for the audit view. It is kept beside
// the log, outside the hash chain, because the entry is chained before any
// data is read; the first count recorded stays.
func (d *DB) SetInquiryResult(ctx context.Context, id string, records int) error {
	if id == "" || records < 0 {
		return credit.Errorf(credit.EINVALID, "查询结果记录不完整。", "The inquiry result is incomplete.")
	}
	if _, err := d.db.ExecContext(ctx, `INSERT INTO inquiry_results (inquiry_id, records) VALUES (?, ?)
ON CONFLICT (inquiry_id) DO NOTHING`, id, records); err != nil {
		return fmt.Errorf("store: set inquiry result: %w", err)
	}
	return nil
}

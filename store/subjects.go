package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Subject returns the subject with this ID number or USCC, or ENOTFOUND.
func (d *DB) Subject(ctx context.Context, id string) (credit.Subject, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	var s credit.Subject
	var kind string
	err := d.db.QueryRowContext(ctx, `SELECT id, kind, name, region, version FROM subjects WHERE id = ?`, id).
		Scan(&s.ID, &kind, &s.Name, &s.Region, &s.Version)
	if errNoRows(err) {
		return credit.Subject{}, credit.Errorf(credit.ENOTFOUND, "本机未找到该主体的信用信息。", "No credit information for this subject on this device.")
	}
	if err != nil {
		return credit.Subject{}, fmt.Errorf("store: subject: %w", err)
	}
	s.Kind = credit.SubjectKind(kind)
	return s, nil
}

// closedStatuses is the SQL list of statuses that end an application; any
// other status means the objection is still open. restored and refused end
// a restoration (credit.RestorationLifecycle).
const closedStatuses = `('corrected', 'not_corrected', 'closed', 'rejected', 'restored', 'refused')`

// RecordsOf returns the subject's records ordered by category (basic,
// untrustworthy, other) then decision date, newest first, with
// UnderObjection set where an objection is open. A subject without records
// (or unknown) yields an empty slice.
func (d *DB) RecordsOf(ctx context.Context, subjectID string) ([]credit.Record, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.id, r.subject_id, r.category, r.title, r.content,
	r.source_unit, r.document_no, r.legal_basis, r.decision_date, r.publicity_until, r.tier, r.version, r.detail,
	EXISTS (SELECT 1 FROM objections o WHERE o.record_id = r.id AND o.status NOT IN `+closedStatuses+`)
FROM records r WHERE r.subject_id = ?
ORDER BY CASE r.category WHEN 'basic' THEN 0 WHEN 'untrustworthy' THEN 1 ELSE 2 END,
	r.decision_date DESC, r.id`, strings.ToUpper(strings.TrimSpace(subjectID)))
	if err != nil {
		return nil, fmt.Errorf("store: records of: %w", err)
	}
	defer rows.Close()
	out := []credit.Record{}
	for rows.Next() {
		var r credit.Record
		var cat, tier, detail string
		var dd, pu sql.NullInt64
		if err := rows.Scan(&r.ID, &r.SubjectID, &cat, &r.Title, &r.Content, &r.SourceUnit, &r.DocumentNo,
			&r.LegalBasis, &dd, &pu, &tier, &r.Version, &detail, &r.UnderObjection); err != nil {
			return nil, fmt.Errorf("store: records of: %w", err)
		}
		r.Category, r.Tier = credit.Category(cat), credit.Tier(tier)
		r.DecisionDate, r.PublicityUntil = fromNanos(dd), fromNanos(pu)
		if !setDetail(&r, detail) { // record_detail.go (Arts. 36, 44)
			d.log.WarnContext(ctx, "store: record detail unreadable; shown as incomplete", "record", r.ID)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: records of: %w", err)
	}
	return out, nil
}

// DefaultSearchLimit applies when SearchOrganisations is given limit <= 0;
// larger limits are capped at MaxSearchLimit.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 200
)

// SearchOrganisations finds legal persons by credit code (the full code or
// a prefix of at least 6 characters) or by any part of the name, including
// a single character. Results are ranked exact match, then prefix, then
// contains; shorter names first. Natural persons never match.
func (d *DB) SearchOrganisations(ctx context.Context, query string, limit int) ([]credit.Subject, error) {
	q := normName(query)
	if len(q) == 0 {
		return nil, credit.Errorf(credit.EINVALID, "请输入企业名称或统一社会信用代码。", "Enter part of a name or a credit code.")
	}
	if len(q) > 100 {
		return nil, credit.Errorf(credit.EINVALID, "查询内容过长。", "The search text is too long.")
	}
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	qs := string(q)
	var rows *sql.Rows
	var err error
	if usccQuery(qs) {
		rows, err = d.db.QueryContext(ctx, `SELECT id, kind, name, region, version FROM subjects
WHERE id >= ? AND id < ? AND kind = 'legal_person'
ORDER BY id = ? DESC, id LIMIT ?`, qs, qs+"~", qs, limit)
	} else {
		// The candidates: organisations with every bigram of q, or for a
		// 1-character q with a gram starting with it (grams.go).
		cand, args := nameCandidates(q)
		args = append(args, qs, qs, len(q), qs, limit)
		rows, err = d.db.QueryContext(ctx, `SELECT id, kind, name, region, version FROM subjects
WHERE id IN (`+cand+`)
	AND kind = 'legal_person' AND instr(search_name, ?) > 0
ORDER BY search_name = ? DESC, substr(search_name, 1, ?) = ? DESC, length(search_name), search_name, id
LIMIT ?`, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	out := []credit.Subject{}
	for rows.Next() {
		var s credit.Subject
		var kind string
		if err := rows.Scan(&s.ID, &kind, &s.Name, &s.Region, &s.Version); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		s.Kind = credit.SubjectKind(kind)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return out, nil
}

// nameCandidates returns the subquery (and its arguments) selecting the
// ids of the organisations whose grams a name containing q (normalised,
// not empty) must have.
func nameCandidates(q []rune) (string, []any) {
	if len(q) == 1 {
		lo, hi := gramRange(q[0])
		return `SELECT subject_id FROM name_grams WHERE gram BETWEEN ? AND ?`, []any{lo, hi}
	}
	grams := queryGrams(q)
	args := make([]any, 0, len(grams)+7)
	for _, g := range grams {
		args = append(args, g)
	}
	args = append(args, len(grams))
	return `SELECT subject_id FROM name_grams WHERE gram IN (?` + strings.Repeat(", ?", len(grams)-1) + `)
		GROUP BY subject_id HAVING count(*) = ?`, args
}

// DataAsOf is the server time saved with the last applied page (zero if
// the device has never synced).
func (d *DB) DataAsOf(ctx context.Context) (time.Time, error) {
	var n sql.NullInt64
	err := d.db.QueryRowContext(ctx, `SELECT data_as_of FROM sync_state WHERE id = 1`).Scan(&n)
	if err != nil && !errNoRows(err) {
		return time.Time{}, fmt.Errorf("store: data as of: %w", err)
	}
	return fromNanos(n), nil
}

// Cursor returns the cursor saved with the last applied page ("" before
// the first sync).
func (d *DB) Cursor(ctx context.Context) (string, error) {
	var c string
	err := d.db.QueryRowContext(ctx, `SELECT cursor FROM sync_state WHERE id = 1`).Scan(&c)
	if err != nil && !errNoRows(err) {
		return "", fmt.Errorf("store: cursor: %w", err)
	}
	return c, nil
}

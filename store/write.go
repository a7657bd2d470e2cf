package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// writer holds the statements that change subjects, records and the name
// index inside one transaction. Load and ApplyPage share it.
type writer struct {
	tx                                       *sql.Tx
	upSubject, upRecord, delGrams, insGram   *sql.Stmt
	delSubject, delSubjectRecords, delRecord *sql.Stmt
}

const (
	sqlUpsertSubject = `INSERT INTO subjects (id, kind, name, region, version, search_name)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
	region = excluded.region, version = excluded.version, search_name = excluded.search_name
WHERE excluded.version > subjects.version`
	sqlUpsertRecord = `INSERT INTO records (id, subject_id, category, title, content, source_unit,
	document_no, legal_basis, decision_date, publicity_until, tier, version, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET subject_id = excluded.subject_id, category = excluded.category,
	title = excluded.title, content = excluded.content, source_unit = excluded.source_unit,
	document_no = excluded.document_no, legal_basis = excluded.legal_basis,
	decision_date = excluded.decision_date, publicity_until = excluded.publicity_until,
	tier = excluded.tier, version = excluded.version, detail = excluded.detail
WHERE excluded.version > records.version`
)

// newWriter prepares the statements on tx.
func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{tx: tx}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&w.upSubject, sqlUpsertSubject},
		{&w.upRecord, sqlUpsertRecord},
		{&w.delGrams, sqlDeleteGrams}, // grams.go
		{&w.insGram, sqlInsertGrams},
		{&w.delSubject, `DELETE FROM subjects WHERE id = ?`},
		{&w.delSubjectRecords, `DELETE FROM records WHERE subject_id = ?`},
		{&w.delRecord, `DELETE FROM records WHERE id = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*p.dst = st
	}
	return w, nil
}

// close releases the statements.
func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.upSubject, w.upRecord, w.delGrams, w.insGram, w.delSubject, w.delSubjectRecords, w.delRecord} {
		if st != nil {
			st.Close()
		}
	}
}

// putSubject stores s unless the stored version is the same or newer, and
// then rebuilds its name index rows: the rows of the stored name go first
// (found by its grams, before the upsert overwrites it) when the name
// changes, then the grams of the new one. It reports whether s was written.
func (w *writer) putSubject(ctx context.Context, s credit.Subject) (bool, error) {
	if err := s.Validate(); err != nil {
		return false, err
	}
	// Only organisations are searchable by name; personal names are not
	// indexed at all.
	var search any
	if s.Kind == credit.LegalPerson {
		search = string(normName(s.Name))
	}
	// The same version condition as the upsert's.
	if _, err := w.delGrams.ExecContext(ctx, s.ID, s.Version, search); err != nil {
		return false, fmt.Errorf("put subject: clear name index: %w", err)
	}
	res, err := w.upSubject.ExecContext(ctx, s.ID, string(s.Kind), s.Name, s.Region, s.Version, search)
	if err != nil {
		return false, fmt.Errorf("put subject: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if search == nil {
		return true, nil
	}
	if _, err := w.insGram.ExecContext(ctx, search, s.ID); err != nil {
		return false, fmt.Errorf("put subject: name index: %w", err)
	}
	return true, nil
}

// putRecord stores r unless the stored version is the same or newer.
func (w *writer) putRecord(ctx context.Context, r credit.Record) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	res, err := w.upRecord.ExecContext(ctx, r.ID, r.SubjectID, string(r.Category), r.Title, r.Content,
		r.SourceUnit, r.DocumentNo, r.LegalBasis, nanos(r.DecisionDate), nanos(r.PublicityUntil), string(r.Tier), r.Version, detailOf(r))
	if err != nil {
		return false, fmt.Errorf("put record: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// deleteSubject removes the subject's index rows, its records and the
// subject.
func (w *writer) deleteSubject(ctx context.Context, id string) error {
	if _, err := w.delGrams.ExecContext(ctx, id, nil, nil); err != nil {
		return fmt.Errorf("delete subject: name index: %w", err)
	}
	for _, st := range []*sql.Stmt{w.delSubjectRecords, w.delSubject} {
		if _, err := st.ExecContext(ctx, id); err != nil {
			return fmt.Errorf("delete subject: %w", err)
		}
	}
	return nil
}

// deleteRecord removes one record.
func (w *writer) deleteRecord(ctx context.Context, id string) error {
	if _, err := w.delRecord.ExecContext(ctx, id); err != nil {
		return fmt.Errorf("delete record: %w", err)
	}
	return nil
}

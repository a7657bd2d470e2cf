package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	credit "github.com/gansu-credit/credit"
)

// snapBatch is how many records one snapshot INSERT writes: one statement
// for many rows saves most of the per-statement cost of the driver.
const snapBatch = 256

// snapRecordCols is the number of parameters per record row.
const snapRecordCols = 13

// sqlSnapRecords returns the upsert of n snapshot records, overwriting
// whatever the cache holds and stamping the generation.
func sqlSnapRecords(n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", snapRecordCols), ", ") + ")"
	rows := strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	return `INSERT INTO records (id, subject_id, category, title, content, source_unit,
	document_no, legal_basis, decision_date, publicity_until, tier, version, resync_gen)
VALUES ` + rows + `
ON CONFLICT (id) DO UPDATE SET subject_id = excluded.subject_id, category = excluded.category,
	title = excluded.title, content = excluded.content, source_unit = excluded.source_unit,
	document_no = excluded.document_no, legal_basis = excluded.legal_basis,
	decision_date = excluded.decision_date, publicity_until = excluded.publicity_until,
	tier = excluded.tier, version = excluded.version, resync_gen = excluded.resync_gen`
}

// recordBatch collects validated snapshot records and writes them
// snapBatch at a time.
type recordBatch struct {
	tx   *sql.Tx
	full *sql.Stmt // prepared for snapBatch rows, on first use
	gen  int64
	args []any
	n    int
}

func (b *recordBatch) add(ctx context.Context, r credit.Record) error {
	b.args = append(b.args, r.ID, r.SubjectID, string(r.Category), r.Title, r.Content, r.SourceUnit,
		r.DocumentNo, r.LegalBasis, nanos(r.DecisionDate), nanos(r.PublicityUntil), string(r.Tier), r.Version, b.gen)
	b.n++
	if b.n == snapBatch {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the collected rows.
func (b *recordBatch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == snapBatch {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, sqlSnapRecords(snapBatch)); err != nil {
				return fmt.Errorf("put records: %w", err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, sqlSnapRecords(b.n), b.args...)
	}
	if err != nil {
		return fmt.Errorf("put records: %w", err)
	}
	b.args, b.n = b.args[:0], 0
	return nil
}

func (b *recordBatch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	credit "github.com/gansu-credit/credit"
)

// snapBatch is how many rows one snapshot INSERT writes: one statement
// for many rows saves most of the per-statement cost of the driver. It
// divides the platform's page of 5,000 (protocol.MaxPageLimit), so a full
// page needs no statement for a remainder.
const snapBatch = 250

// snapRecordCols is the number of parameters per record row.
const snapRecordCols = 14

// multiInsert returns head + n rows of cols parameters + tail.
func multiInsert(head string, cols, n int, tail string) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return head + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + tail
}

// sqlSnapRecords returns the upsert of n snapshot records, overwriting
// whatever the cache holds and stamping the generation.
func sqlSnapRecords(n int) string {
	return multiInsert(`INSERT INTO records (id, subject_id, category, title, content, source_unit,
	document_no, legal_basis, decision_date, publicity_until, tier, version, resync_gen, detail)
VALUES `, snapRecordCols, n, `
ON CONFLICT (id) DO UPDATE SET subject_id = excluded.subject_id, category = excluded.category,
	title = excluded.title, content = excluded.content, source_unit = excluded.source_unit,
	document_no = excluded.document_no, legal_basis = excluded.legal_basis,
	decision_date = excluded.decision_date, publicity_until = excluded.publicity_until,
	tier = excluded.tier, version = excluded.version, resync_gen = excluded.resync_gen, detail = excluded.detail`)
}

// sqlSnapSubjects returns the upsert of n snapshot subjects.
func sqlSnapSubjects(n int) string {
	return multiInsert(`INSERT INTO subjects (id, kind, name, region, version, search_name, resync_gen)
VALUES `, 7, n, `
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, region = excluded.region,
	version = excluded.version, search_name = excluded.search_name, resync_gen = excluded.resync_gen`)
}

// sqlSnapGrams returns the insert of n name-index rows.
func sqlSnapGrams(n int) string {
	return multiInsert(`INSERT OR IGNORE INTO name_grams (gram, subject_id) VALUES `, 2, n, ``)
}

// rowBatch collects rows of cols parameters and writes them snapBatch at
// a time with a statement prepared once per transaction.
type rowBatch struct {
	tx   *sql.Tx
	sql  func(n int) string
	cols int
	what string
	full *sql.Stmt // prepared for snapBatch rows, on first use
	pool *bulkStmts
	args []any
	n    int
}

func newRowBatch(tx *sql.Tx, what string, cols int, sql func(int) string) *rowBatch {
	return &rowBatch{tx: tx, sql: sql, cols: cols, what: what, args: make([]any, 0, cols*snapBatch)}
}

// add appends one row (cols values).
func (b *rowBatch) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == snapBatch {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the collected rows.
func (b *rowBatch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == snapBatch {
		if b.full == nil {
			if b.full, err = b.prepareFull(ctx); err != nil {
				return fmt.Errorf("put %s: %w", b.what, err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, b.sql(b.n), b.args...)
	}
	if err != nil {
		return fmt.Errorf("put %s: %w", b.what, err)
	}
	b.args, b.n = b.args[:0], 0
	return nil
}

// prepareFull prepares the statement of snapBatch rows in b's
// transaction, through b.pool when it has one.
func (b *rowBatch) prepareFull(ctx context.Context) (*sql.Stmt, error) {
	q := b.sql(snapBatch)
	if b.pool == nil {
		return b.tx.PrepareContext(ctx, q)
	}
	st, err := b.pool.get(ctx, q)
	if err != nil {
		return nil, err
	}
	return b.tx.StmtContext(ctx, st), nil
}

func (b *rowBatch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// recordBatch collects validated snapshot records and writes them
// snapBatch at a time.
type recordBatch struct {
	*rowBatch
	gen int64
}

func newRecordBatch(tx *sql.Tx, gen int64, pool *bulkStmts) *recordBatch {
	b := &recordBatch{rowBatch: newRowBatch(tx, "records", snapRecordCols, sqlSnapRecords), gen: gen}
	b.pool = pool
	return b
}

func (b *recordBatch) addRecord(ctx context.Context, r credit.Record) error {
	return b.add(ctx, r.ID, r.SubjectID, string(r.Category), r.Title, r.Content, r.SourceUnit,
		r.DocumentNo, r.LegalBasis, nanos(r.DecisionDate), nanos(r.PublicityUntil), string(r.Tier), r.Version, b.gen, detailFast(r))
}

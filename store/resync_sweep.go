package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// sweepOlder deletes, in FinishSnapshot's transaction, every subject,
// record and quarantined put of a generation older than target (the
// snapshot did not write them: deletions missed while offline are enforced
// here, sync.md §2.4), each subject and record leaving a content-free
// tombstone at seq with time at, and the removed subjects' remote inquiry
// entries with them. It returns how many subjects and records it deleted.
//
// One probe per table comes first: a bootstrap into an empty cache has
// nothing to sweep, and the probe's scan replaces the two (records) or
// three (subjects) full scans the statements below would each make.
func sweepOlder(ctx context.Context, tx *sql.Tx, target, seq, at int64) (int, error) {
	var oldSubjects, oldRecords bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM subjects WHERE resync_gen < ?1),
	EXISTS (SELECT 1 FROM records WHERE resync_gen < ?1)`, target).Scan(&oldSubjects, &oldRecords); err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	var stmts []sweepStmt
	if oldSubjects {
		if err := tombstoneSubjects(ctx, tx, target, seq, at); err != nil {
			return 0, err
		}
		stmts = append(stmts,
			sweepStmt{`DELETE FROM remote_inquiries WHERE subject_id IN (SELECT id FROM subjects WHERE resync_gen < ?)`, false}, // remote_inquiries.go
			sweepStmt{`DELETE FROM subjects WHERE resync_gen < ?`, true})
	}
	if oldRecords {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tombstones (seq, type, id, applied_at) SELECT ?, 'record', id, ? FROM records WHERE resync_gen < ?`, seq, at, target); err != nil {
			return 0, fmt.Errorf("tombstone: %w", err)
		}
		stmts = append(stmts, sweepStmt{`DELETE FROM records WHERE resync_gen < ?`, true})
	}
	stmts = append(stmts, sweepStmt{`DELETE FROM quarantine WHERE resync_gen < ?`, false})
	swept := 0
	for _, q := range stmts {
		res, err := tx.ExecContext(ctx, q.sql, target)
		if err != nil {
			return 0, fmt.Errorf("sweep: %w", err)
		}
		if n, _ := res.RowsAffected(); q.count {
			swept += int(n)
		}
	}
	return swept, nil
}

// sweepStmt is one deletion of the sweep; count: its rows are reported.
type sweepStmt struct {
	sql   string
	count bool
}

// tombstoneSubjects writes the tombstone of every subject older than
// target, a natural person's number masked.
func tombstoneSubjects(ctx context.Context, tx *sql.Tx, target, seq, at int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind FROM subjects WHERE resync_gen < ?`, target)
	if err != nil {
		return fmt.Errorf("tombstone: %w", err)
	}
	var tombs []string
	for rows.Next() {
		var id, kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return fmt.Errorf("tombstone: %w", err)
		}
		if kind == string(credit.NaturalPerson) {
			id = credit.IDNumber(id).Masked()
		}
		tombs = append(tombs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tombstone: %w", err)
	}
	for _, id := range tombs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tombstones (seq, type, id, applied_at) VALUES (?, 'subject', ?, ?)`, seq, id, at); err != nil {
			return fmt.Errorf("tombstone: %w", err)
		}
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
)

// sqlRebuildGrams fills the empty name index from subjects.search_name
// (the normalised name, normName, stored with every legal person): at each
// position the character and the next one (the last alone), exactly what
// nameGrams gives. Subjects are read in id order (CROSS JOIN keeps them the
// outer loop), so each gram's run in the table grows at its end: no sort,
// and every page it touches stays in the bulk cache.
const sqlRebuildGrams = `WITH RECURSIVE pos(i) AS (
	SELECT 1 UNION ALL SELECT i + 1 FROM pos
	WHERE i < (SELECT coalesce(max(length(search_name)), 0) FROM subjects WHERE kind = 'legal_person'))
INSERT OR IGNORE INTO name_grams (gram, subject_id)
SELECT substr(s.search_name, pos.i, 2), s.id
FROM subjects s CROSS JOIN pos
WHERE s.kind = 'legal_person' AND pos.i <= length(s.search_name)
ORDER BY s.id`

// rebuildNameIndex replaces the whole name index, in tx, by one built
// from the subjects table: the old rows are deleted (secure_delete zeroes
// them) and the grams inserted anew. Used by
// FinishSnapshot, so a snapshot's pages need not touch the index, whose
// rows they would otherwise scatter over the whole table page by page.
func rebuildNameIndex(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`PRAGMA temp_store = MEMORY`,
		`DELETE FROM name_grams`,
		sqlRebuildGrams,
		`PRAGMA temp_store = DEFAULT`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild name index: %w", err)
		}
	}
	return nil
}

// recordsSubjectIndex is records_subject exactly as migration 001 creates
// it.
const recordsSubjectIndex = `CREATE INDEX records_subject ON records (subject_id, category, decision_date DESC)`

// dropRecordsIndexIfEmpty drops records_subject when the cache holds no
// record: a bootstrap then appends records in key order without scattering
// index rows over the file page after page, and FinishSnapshot builds the
// index by one sort. A cache that holds records keeps its index, so
// look-ups stay fast while a resync runs.
func dropRecordsIndexIfEmpty(ctx context.Context, tx *sql.Tx) error {
	var empty bool
	if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM records)`).Scan(&empty); err != nil {
		return err
	}
	if empty {
		_, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS records_subject`)
		return err
	}
	return ensureRecordsIndex(ctx, tx)
}

// ensureRecordsIndex creates records_subject if a bootstrap dropped it.
func ensureRecordsIndex(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'records_subject'`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	// The sort stays in memory: temp files would put subject ids on
	// disk. (PRAGMA threads was tried: SQLite's sorter uses its worker
	// threads only when it spills to temp files, so it changed nothing.)
	if _, err := tx.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, recordsSubjectIndex); err != nil {
		return fmt.Errorf("records index: %w", err)
	}
	_, err := tx.ExecContext(ctx, `PRAGMA temp_store = DEFAULT`)
	return err
}

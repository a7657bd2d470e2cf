package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// trustListSchema keeps the one trust list the device holds. It is
// created on first use (no migration: older databases need nothing).
const trustListSchema = `CREATE TABLE IF NOT EXISTS trust_list (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	signed BLOB NOT NULL,
	saved_at INTEGER NOT NULL)`

// SaveTrustList stores a signed trust list of sequence number seq in
// place of the one held. The caller has checked the signature with the
// device's root keys (app/report.LoadTrustList; the store does not
// import app) and states seq from the checked list. A lower seq, or other
// bytes under the held seq, is refused (ECONFLICT); the same list again
// changes nothing and reports false.
func (d *DB) SaveTrustList(ctx context.Context, seq uint64, signed []byte) (bool, error) {
	if len(signed) == 0 || seq > 1<<62 {
		return false, credit.Errorf(credit.EINVALID, "信任列表为空或序号无效。", "The trust list is empty or its seq is out of range.")
	}
	saved := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, trustListSchema); err != nil {
			return fmt.Errorf("trust list table: %w", err)
		}
		var cur int64
		var held []byte
		err := tx.QueryRowContext(ctx, `SELECT seq, signed FROM trust_list WHERE id = 1`).Scan(&cur, &held)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read trust list: %w", err)
		case int64(seq) < cur:
			return credit.Errorf(credit.ECONFLICT, "拒绝回退：该信任列表比已保存的旧。", "Rollback refused: trust list seq %d is below the %d held.", seq, cur)
		case int64(seq) == cur && bytes.Equal(held, signed):
			return nil
		case int64(seq) == cur:
			return credit.Errorf(credit.ECONFLICT, "已保存另一份同序号的信任列表。", "Another trust list with seq %d is held.", seq)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO trust_list (id, seq, signed, saved_at) VALUES (1, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, signed = excluded.signed, saved_at = excluded.saved_at`,
			int64(seq), signed, d.now().UnixNano()); err != nil {
			return fmt.Errorf("save trust list: %w", err)
		}
		saved = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return saved, nil
}

// TrustList returns the trust list held and its seq; nil when none.
// Callers check it again with the root keys before trusting it.
func (d *DB) TrustList(ctx context.Context) (seq uint64, signed []byte, err error) {
	if _, err := d.db.ExecContext(ctx, trustListSchema); err != nil {
		return 0, nil, fmt.Errorf("store: trust list table: %w", err)
	}
	var s int64
	err = d.db.QueryRowContext(ctx, `SELECT seq, signed FROM trust_list WHERE id = 1`).Scan(&s, &signed)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("store: read trust list: %w", err)
	}
	return uint64(s), signed, nil
}

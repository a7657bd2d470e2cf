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

// trustRootsSchema keeps the root keys a device came to trust by root
// rotation (a held list named the next root, and a list signed by it was
// taken), so a restart still accepts lists that root signs. Created on
// first use.
const trustRootsSchema = `CREATE TABLE IF NOT EXISTS trust_roots (
	pub BLOB PRIMARY KEY,
	added_at INTEGER NOT NULL)`

// AddTrustRoot keeps a rotated root public key (32 bytes); adding it again
// changes nothing. The caller has followed the rotation chain.
func (d *DB) AddTrustRoot(ctx context.Context, pub []byte) error {
	if len(pub) != 32 {
		return credit.Errorf(credit.EINVALID, "根公钥长度无效。", "A root public key is 32 bytes, not %d.", len(pub))
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, trustRootsSchema); err != nil {
			return fmt.Errorf("trust roots table: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO trust_roots (pub, added_at) VALUES (?, ?) ON CONFLICT (pub) DO NOTHING`, pub, d.now().UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: add trust root: %w", err)
	}
	return nil
}

// TrustRoots returns the rotated root keys kept, oldest first.
func (d *DB) TrustRoots(ctx context.Context) ([][]byte, error) {
	if _, err := d.db.ExecContext(ctx, trustRootsSchema); err != nil {
		return nil, fmt.Errorf("store: trust roots table: %w", err)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT pub FROM trust_roots ORDER BY added_at, pub`)
	if err != nil {
		return nil, fmt.Errorf("store: trust roots: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var pub []byte
		if err := rows.Scan(&pub); err != nil {
			return nil, fmt.Errorf("store: trust roots: %w", err)
		}
		out = append(out, pub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: trust roots: %w", err)
	}
	return out, nil
}

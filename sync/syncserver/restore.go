package syncserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"

	"github.com/gansu-credit/credit/sync/protocol"
)

// Backups and restores (sync.md §3 F10). A restore brings the platform
// back to an older state: the change log ends lower, and applications
// received after the backup are gone although devices hold their
// receipts. Restore therefore rotates the epoch (every device resyncs)
// and records where the backup ended, which hello announces so that
// devices send those applications again (protocol.Hello.RestoredFromSeq).

// RestoreInfo describes a restore.
type RestoreInfo struct {
	// FromSeq is the change-log head of the backup and FromEpoch the epoch
	// it was taken in: receipts of FromEpoch above FromSeq were lost.
	FromSeq   int64
	FromEpoch string
	// Epoch is the new epoch.
	Epoch string
}

// Backup writes a consistent copy of the platform's database to dst (a
// new file; VACUUM INTO), while the server keeps serving.
func (s *Server) Backup(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("syncserver: backup: %s exists", dst)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("syncserver: backup to %s: %w", dst, err)
	}
	return nil
}

// Restore replaces the platform database at path by a copy of the backup
// file, records the backup's change-log head and epoch as restored_from_*
// and gives it a new epoch. The server must not be running on path. The
// backup file itself is left as it is. The swap is a rename, so a crash
// leaves either the old database or the restored one.
func Restore(ctx context.Context, path, backup string) (RestoreInfo, error) {
	var info RestoreInfo
	tmp := path + ".restore"
	if err := copyFile(backup, tmp); err != nil {
		return info, fmt.Errorf("syncserver: restore: %w", err)
	}
	info, err := markRestored(ctx, tmp)
	if err != nil {
		os.Remove(tmp)
		return info, fmt.Errorf("syncserver: restore from %s: %w", backup, err)
	}
	// A WAL left by the old database must not be replayed into the
	// restored one.
	for _, suf := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suf); err != nil && !errors.Is(err, os.ErrNotExist) {
			return info, fmt.Errorf("syncserver: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return info, fmt.Errorf("syncserver: restore: %w", err)
	}
	return info, nil
}

// markRestored opens the copied backup, reads its head and epoch, and
// stores them with a new epoch, in one transaction; closing it folds its
// WAL back into the file.
func markRestored(ctx context.Context, file string) (info RestoreInfo, err error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		return info, err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return info, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if err := tx.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = 'epoch'`).Scan(&info.FromEpoch); err != nil {
		return info, fmt.Errorf("not a platform database (no epoch): %w", err)
	}
	if info.FromSeq, err = headSeq(ctx, tx); err != nil {
		return info, err
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	info.Epoch = hex.EncodeToString(b[:])
	for k, v := range map[string]string{"epoch": info.Epoch, "restored_from_seq": strconv.FormatInt(info.FromSeq, 10), "restored_from_epoch": info.FromEpoch} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(k, v) VALUES(?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, v); err != nil {
			return info, fmt.Errorf("meta %s: %w", k, err)
		}
	}
	return info, tx.Commit()
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

// restoreInfo fills in the hello fields about epoch and last restore.
func (s *Server) restoreInfo(ctx context.Context, h *protocol.Hello) error {
	rows, err := s.db.QueryContext(ctx, `SELECT k, v FROM meta WHERE k IN ('epoch', 'restored_from_seq', 'restored_from_epoch')`)
	if err != nil {
		return fmt.Errorf("read restore info: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return fmt.Errorf("read restore info: %w", err)
		}
		switch k {
		case "epoch":
			h.Epoch = v
		case "restored_from_epoch":
			h.RestoredFromEpoch = v
		case "restored_from_seq":
			if h.RestoredFromSeq, err = strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("restored_from_seq %q: %w", v, err)
			}
		}
	}
	return rows.Err()
}

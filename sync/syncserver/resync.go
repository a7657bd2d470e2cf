package syncserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// epoch returns the server's current epoch. It is read on every request,
// so `syncserver epoch rotate` run against the file takes effect on a
// running server at once.
func (s *Server) epoch(ctx context.Context) (string, error) {
	var e string
	if err := s.rdb.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = 'epoch'`).Scan(&e); err != nil {
		return "", fmt.Errorf("read epoch: %w", err)
	}
	return e, nil
}

// Epoch returns the server's current epoch.
func (s *Server) Epoch(ctx context.Context) (string, error) {
	e, err := s.epoch(ctx)
	if err != nil {
		return "", fmt.Errorf("syncserver: %w", err)
	}
	return e, nil
}

// RotateEpoch gives the server a new epoch and returns it. Every cursor
// and snapshot token handed out before becomes invalid, so every device
// resyncs from a snapshot (410 epoch_changed). Run it after restoring the
// server database from a backup.
func (s *Server) RotateEpoch(ctx context.Context) (string, error) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	e := hex.EncodeToString(b[:])
	if _, err := s.db.ExecContext(ctx, `UPDATE meta SET v = ? WHERE k = 'epoch'`, e); err != nil {
		return "", fmt.Errorf("syncserver: rotate epoch: %w", err)
	}
	s.log.Warn("epoch rotated: every device will resync")
	return e, nil
}

// headSeq is the highest seq ever handed out (AUTOINCREMENT keeps it even
// when that row was superseded).
func headSeq(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var head int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0)`).Scan(&head)
	if err != nil {
		return 0, fmt.Errorf("head seq: %w", err)
	}
	return head, nil
}

// floorSeq is the seq of the newest tombstone Compact dropped: a cursor
// below it may have missed that deletion.
func (s *Server) floorSeq(ctx context.Context) (int64, error) {
	var v string
	err := s.rdb.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = 'floor_seq'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("read floor seq: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("floor seq %q: %w", v, err)
	}
	return n, nil
}

// Compact drops the tombstones logged longer than the tombstone horizon
// ago and raises the floor below which cursors get 410 cursor_expired. It
// returns how many tombstones it dropped.
func (s *Server) Compact(ctx context.Context) (int, error) {
	// A queued note of a tombstone dropped here would come back after it.
	if err := s.flushDeliveries(ctx); err != nil {
		return 0, fmt.Errorf("syncserver: compact: %w", err)
	}
	cutoff := formatTime(s.now().Add(-s.opts.TombstoneHorizon))
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var top sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM change_log WHERE op = 'del' AND at < ?`, cutoff).Scan(&top); err != nil {
			return err
		}
		if !top.Valid {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM change_log WHERE op = 'del' AND at < ?`, cutoff)
		if err != nil {
			return err
		}
		d, _ := res.RowsAffected()
		n = int(d)
		if _, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE seq <= ?`, top.Int64); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta(k, v) VALUES('floor_seq', ?)
			ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE CAST(excluded.v AS INTEGER) > CAST(meta.v AS INTEGER)`, strconv.FormatInt(top.Int64, 10))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("syncserver: compact: %w", err)
	}
	if n > 0 {
		s.log.Info("tombstones compacted", "dropped", n, "horizon", s.opts.TombstoneHorizon)
	}
	return n, nil
}

// resyncRequired answers 410 Gone with a resync_required problem.
func (s *Server) resyncRequired(w http.ResponseWriter, r *http.Request, reason string) {
	s.log.Info("resync required", "device", deviceOf(r), "reason", reason)
	p := protocol.NewProblem(http.StatusGone, protocol.CodeResyncRequired, "resync required",
		credit.Errorf(credit.ECONFLICT, "本机数据需要从平台重新同步。", "This terminal's data must be resynchronised from the platform (%s).", reason))
	p.Reason = reason
	s.problem(w, r, p)
}

// checkCursor opens the cursor of a /changes request and decides whether
// it can still be served in state st. It returns the seq to continue
// after, or the resync reason.
func (s *Server) checkCursor(st feedState, device, raw string) (after int64, reason string) {
	if raw == "" {
		return 0, ""
	}
	cur, err := decodeCursor(s.key, device, st.epoch, raw)
	switch {
	case errors.Is(err, errEpochChanged):
		return 0, protocol.ReasonEpochChanged
	case err != nil:
		s.log.Warn("bad cursor", "device", device, "err", err)
		return 0, protocol.ReasonBadCursor
	case cur.Scope != st.scope.hash():
		return 0, protocol.ReasonScopeChanged
	case cur.Seq > st.head:
		return 0, protocol.ReasonCursorAhead
	case cur.Seq < st.floor:
		return 0, protocol.ReasonCursorExpired
	}
	return cur.Seq, ""
}

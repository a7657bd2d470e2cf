package syncserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// trustSchema holds the signed trust lists the platform published (the
// newest is current) and the reports devices registered for online
// lookup. It is created on first use, so older databases need no upgrade.
const trustSchema = `
CREATE TABLE IF NOT EXISTS trust_lists(
	seq INTEGER PRIMARY KEY,
	signed BLOB NOT NULL,
	root BLOB NOT NULL,
	published_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issued_reports(
	report_no TEXT PRIMARY KEY,
	code TEXT NOT NULL,
	kid TEXT NOT NULL,
	iat TEXT NOT NULL,
	exp TEXT NOT NULL,
	report_type INTEGER NOT NULL,
	subject_id_display TEXT NOT NULL,
	device TEXT NOT NULL,
	registered_at TEXT NOT NULL);
`

func (s *Server) ensureTrustSchema(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, trustSchema); err != nil {
		return fmt.Errorf("trust schema: %w", err)
	}
	return nil
}

// ErrNoTrustList is returned when no trust list was published yet.
var ErrNoTrustList = credit.Errorf(credit.ENOTFOUND, "平台尚未发布核验数据（信任列表）。", "The platform has not published a trust list yet.")

// queryer is a *sql.DB or *sql.Tx.
type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// currentTrustList loads the newest published list, checking its
// signature again with the root it was published under; nil when none.
func currentTrustList(ctx context.Context, q queryer) (*TrustListInfo, error) {
	v, err := currentVerifier()
	if err != nil {
		return nil, err
	}
	var signed, root []byte
	err = q.QueryRowContext(ctx, `SELECT signed, root FROM trust_lists ORDER BY seq DESC LIMIT 1`).Scan(&signed, &root)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read trust list: %w", err)
	}
	tl, err := v.LoadTrustList(signed, []ed25519.PublicKey{root}, 0)
	if err != nil {
		return nil, fmt.Errorf("stored trust list: %w", err)
	}
	return tl, nil
}

// TrustList returns the current trust list, or ErrNoTrustList.
func (s *Server) TrustList(ctx context.Context) (*TrustListInfo, error) {
	if err := s.ensureTrustSchema(ctx); err != nil {
		return nil, fmt.Errorf("syncserver: %w", err)
	}
	tl, err := currentTrustList(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("syncserver: %w", err)
	}
	if tl == nil {
		return nil, ErrNoTrustList
	}
	return tl, nil
}

// PublishTrustList checks signed with the root keys (and the NextRoot the
// current list names), refuses a rollback or another list with the
// current seq, stores it and logs it as a "trust_list" put in the change
// feed, in one transaction. Publishing the current list again changes
// nothing and reports changed false.
func (s *Server) PublishTrustList(ctx context.Context, signed []byte, roots []ed25519.PublicKey) (tl *TrustListInfo, changed bool, err error) {
	if err := s.ensureTrustSchema(ctx); err != nil {
		return nil, false, fmt.Errorf("syncserver: publish trust list: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		prev, err := currentTrustList(ctx, tx)
		if err != nil {
			return err
		}
		var prevSeq uint64
		trusted := append([]ed25519.PublicKey(nil), roots...)
		if prev != nil {
			prevSeq = prev.Seq
			if prev.NextRoot != nil {
				trusted = append(trusted, prev.NextRoot)
			}
		}
		v, err := currentVerifier()
		if err != nil {
			return err
		}
		tl, err = v.LoadTrustList(signed, trusted, prevSeq)
		switch {
		case errors.Is(err, ErrTrustListRollback):
			return credit.Errorf(credit.ECONFLICT, "拒绝回退：该信任列表比已发布的旧。", "Rollback refused: %v", err)
		case errors.Is(err, ErrTrustListSignature):
			return credit.Errorf(credit.EUNAUTHORIZED, "信任列表未经可信根密钥签名。", "The trust list is not signed by a trusted root key: %v", err)
		case err != nil:
			return credit.Errorf(credit.EINVALID, "信任列表格式错误。", "The trust list is malformed: %v", err)
		}
		if prev != nil && tl.Seq == prev.Seq {
			if bytes.Equal(prev.Signed, signed) {
				return nil
			}
			return credit.Errorf(credit.ECONFLICT, "已发布另一份同序号的信任列表。", "Another trust list with seq %d is already published.", tl.Seq)
		}
		if tl.Seq > 1<<62 {
			return credit.Errorf(credit.EINVALID, "信任列表序号过大。", "Trust list seq %d is too large.", tl.Seq)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO trust_lists(seq, signed, root, published_at) VALUES(?, ?, ?, ?)`,
			int64(tl.Seq), signed, []byte(tl.Root), formatTime(now)); err != nil {
			return fmt.Errorf("store trust list: %w", err)
		}
		l := protocol.Line{Op: protocol.OpPut, T: protocol.TypeTrustList, ID: protocol.TrustListID, Ver: int64(tl.Seq), D: protocol.TrustListData(signed)}
		if _, err := logChange(ctx, tx, l, "", now); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("syncserver: publish trust list: %w", err)
	}
	if changed {
		s.log.Info("trust list published", "seq", tl.Seq, "keys", len(tl.Keys), "revoked", tl.Revoked)
	}
	return tl, changed, nil
}

// snapshotTrustList is the current trust list as a snapshot line (seq 0:
// the caller numbers it), or nil when none was published. It reads the
// stored bytes, checked when they were published, so a snapshot needs no
// registered TrustVerifier; the device checks them with its own roots.
func (s *Server) snapshotTrustList(ctx context.Context) (*protocol.Line, error) {
	if err := s.ensureTrustSchema(ctx); err != nil {
		return nil, err
	}
	var seq int64
	var signed []byte
	err := s.db.QueryRowContext(ctx, `SELECT seq, signed FROM trust_lists ORDER BY seq DESC LIMIT 1`).Scan(&seq, &signed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read trust list: %w", err)
	}
	return &protocol.Line{Op: protocol.OpPut, T: protocol.TypeTrustList, ID: protocol.TrustListID, Ver: seq, D: protocol.TrustListData(signed)}, nil
}

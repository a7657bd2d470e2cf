package syncserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Art. 44: every record carries its change history with reason codes, in
// its body, so a device shows it with the record. A record put on the
// platform the first time gets "published"; a put over a held record
// "correction", or "objection_upheld" when an officer corrects it on an
// objection (DecideObjection). A record leaving the platform carries its
// reason in the tombstone's why (credit.TombstoneReason).

// withHistory returns a copy of r, about to be written at version ver,
// whose history continues the one held for r.ID with one entry for this
// change: reason (ReasonPublished when the platform holds no such record),
// at, note. A history r brings itself is kept when nothing is held (an
// import of a record with its past).
func withHistory(ctx context.Context, tx *sql.Tx, r credit.Record, ver int64, reason credit.ChangeReason, note string, at time.Time) (credit.Record, error) {
	var body string
	err := tx.QueryRowContext(ctx, `SELECT body FROM records WHERE id = ?`, r.ID).Scan(&body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if len(r.History) > 0 {
			return r, nil
		}
		reason = credit.ReasonPublished
	case err != nil:
		return r, fmt.Errorf("read record %s history: %w", r.ID, err)
	default:
		var held protocol.RecordV1
		if err := json.Unmarshal([]byte(body), &held); err != nil {
			return r, fmt.Errorf("read record %s history: %w", r.ID, err)
		}
		r.History = protocol.RecordFromWire(held, 0).History
	}
	r.History = credit.AppendHistory(r.History, credit.RecordChange{Version: ver, Reason: reason, At: at, Note: note})
	return r, nil
}

// RecordHistory returns the change history the platform holds for
// record id, oldest first; ENOTFOUND when the platform holds no such
// record (withdrawn records leave nothing but their tombstone).
func (s *Server) RecordHistory(ctx context.Context, id string) ([]credit.RecordChange, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM records WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, credit.Errorf(credit.ENOTFOUND, "没有该信用记录。", "There is no record %q.", id)
	} else if err != nil {
		return nil, fmt.Errorf("syncserver: record history %s: %w", id, err)
	}
	var w protocol.RecordV1
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		return nil, fmt.Errorf("syncserver: record history %s: %w", id, err)
	}
	return protocol.RecordFromWire(w, 0).History, nil
}

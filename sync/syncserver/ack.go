package syncserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// ack serves POST /ack: the device has applied everything up to its
// cursor.
func (s *Server) ack(w http.ResponseWriter, r *http.Request) {
	ctx, device := r.Context(), deviceOf(r)
	var a protocol.AckV1
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
	if err := dec.Decode(&a); err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad ack",
			credit.Errorf(credit.EINVALID, "确认内容格式错误。", "The ack is not valid JSON.")))
		return
	}
	epoch, err := s.epoch(ctx)
	if err != nil {
		s.internal(w, r, "ack", err)
		return
	}
	cur, err := decodeCursor(s.key, device, epoch, a.Cursor)
	switch {
	case errors.Is(err, errEpochChanged):
		s.resyncRequired(w, r, protocol.ReasonEpochChanged)
		return
	case err != nil:
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadCursor, "bad cursor",
			credit.Errorf(credit.EINVALID, "同步游标无效。", "The acked cursor is not valid for this terminal and server.")))
		return
	case a.AppliedThroughSeq > cur.Seq:
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "ack ahead of cursor",
			credit.Errorf(credit.EINVALID, "确认的序号超出游标。", "applied_through_seq %d is beyond the cursor.", a.AppliedThroughSeq)))
		return
	}
	// The deliveries this ack covers may still be queued (delivery.go).
	if err := s.flushDeliveries(ctx); err != nil {
		s.internal(w, r, "ack", err)
		return
	}
	now := formatTime(s.now())
	var acked int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var appliedAt any
		if !a.AppliedAt.IsZero() {
			appliedAt = formatTime(a.AppliedAt)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO devices(id, last_seen, acked_seq, acked_at, applied_at) VALUES(?, ?, ?, ?, coalesce(?, ''))
			ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen, acked_seq = max(devices.acked_seq, excluded.acked_seq),
				acked_at = excluded.acked_at, applied_at = excluded.applied_at`, device, now, cur.Seq, now, appliedAt); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET acked_at = ? WHERE device = ? AND seq <= ? AND acked_at IS NULL`, now, device, cur.Seq); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT acked_seq FROM devices WHERE id = ?`, device).Scan(&acked)
	})
	if err != nil {
		s.internal(w, r, "ack", err)
		return
	}
	lag, err := s.deletionLag(ctx, device)
	if err != nil {
		s.internal(w, r, "ack", err)
		return
	}
	s.log.Info("ack", "device", device, "seq", cur.Seq, "deletions_waiting", lag.Waiting)
	writeJSON(w, http.StatusOK, protocol.AckReplyV1{AckedSeq: acked, DeletionLag: &lag})
}

// deletionLag is device's deletion lag now, as Devices computes it: the
// tombstones delivered but not acknowledged and the age of the oldest
// (Art. 48: one day to delete once the update reaches the device).
func (s *Server) deletionLag(ctx context.Context, device string) (protocol.DeletionLagV1, error) {
	var lag protocol.DeletionLagV1
	var oldest string
	err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(min(delivered_at), '') FROM deliveries
		WHERE device = ? AND acked_at IS NULL`, device).Scan(&lag.Waiting, &oldest)
	if err != nil {
		return lag, fmt.Errorf("deletion lag: %w", err)
	}
	if oldest != "" {
		var t time.Time
		if err := parseTime(oldest, &t); err != nil {
			return lag, fmt.Errorf("deletion lag: %w", err)
		}
		lag.OldestS = max(int64(DeviceStatus{OldestUnacked: t}.DeletionLag(s.now())/time.Second), 0)
	}
	return lag, nil
}

// DeviceStatus is what the platform knows of one device's sync.
type DeviceStatus struct {
	ID       string
	LastSeen time.Time // last tombstone delivered or ack received
	AckedSeq int64     // highest seq the device acknowledged
	AckedAt  time.Time // when it last acknowledged
	// Unacked counts tombstones delivered but not yet acknowledged;
	// OldestUnacked is when the oldest of them was first delivered.
	Unacked       int
	OldestUnacked time.Time
}

// DeletionLag is how long the oldest delivered but unacknowledged
// tombstone has been waiting at now (0 when none).
func (d DeviceStatus) DeletionLag(now time.Time) time.Duration {
	if d.OldestUnacked.IsZero() {
		return 0
	}
	return now.Sub(d.OldestUnacked)
}

// Devices returns the sync status of every device seen, by id.
func (s *Server) Devices(ctx context.Context) ([]DeviceStatus, error) {
	if err := s.flushDeliveries(ctx); err != nil {
		return nil, fmt.Errorf("syncserver: devices: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.last_seen, d.acked_seq, d.acked_at,
		(SELECT count(*) FROM deliveries x WHERE x.device = d.id AND x.acked_at IS NULL),
		coalesce((SELECT min(delivered_at) FROM deliveries x WHERE x.device = d.id AND x.acked_at IS NULL), '')
		FROM devices d ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("syncserver: devices: %w", err)
	}
	defer rows.Close()
	var out []DeviceStatus
	for rows.Next() {
		var d DeviceStatus
		var seen, ackedAt, oldest string
		if err := rows.Scan(&d.ID, &seen, &d.AckedSeq, &ackedAt, &d.Unacked, &oldest); err != nil {
			return nil, fmt.Errorf("syncserver: devices: %w", err)
		}
		for _, p := range []struct {
			s string
			t *time.Time
		}{{seen, &d.LastSeen}, {ackedAt, &d.AckedAt}, {oldest, &d.OldestUnacked}} {
			if p.s != "" {
				if err := parseTime(p.s, p.t); err != nil {
					return nil, fmt.Errorf("syncserver: devices: %w", err)
				}
			}
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: devices: %w", err)
	}
	return out, nil
}

// Now returns the server clock's time (for deletion lags).
func (s *Server) Now() time.Time { return s.now() }

package syncserver

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Inquiry logs reach the platform and come back (Art. 24, 25, 45): each
// device uploads its log entries in batches (POST /sync/v1/inquiries,
// idempotent by inquiry UUID); every entry the platform takes is stored
// once and published in the change feed as a put of type inquiry, to every
// device, so a citizen sees at any terminal the inquiries made at others.
// An entry carries no more than the device's own log: no names.

// inquirySchema holds the entries received; body is the canonical wire
// JSON, digest its SHA-256 (an id sent again with other content is
// refused).
const inquirySchema = `
CREATE TABLE IF NOT EXISTS inquiries(
	id TEXT PRIMARY KEY,
	subject_id TEXT NOT NULL,
	device TEXT NOT NULL,
	digest TEXT NOT NULL,
	body TEXT NOT NULL,
	at TEXT NOT NULL,
	received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inquiries_subject ON inquiries(subject_id, at);`

// maxInquiryBody caps an upload (MaxInquiryBatch entries of well under
// 1 KiB each).
const maxInquiryBody = 256 << 10

// postInquiries serves POST /sync/v1/inquiries.
func (s *Server) postInquiries(w http.ResponseWriter, r *http.Request) {
	ctx, device := r.Context(), deviceOf(r)
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxInquiryBody)); err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "too large",
			credit.Errorf(credit.EINVALID, "查询记录批次过大。", "The inquiry batch exceeds %d bytes.", maxInquiryBody)))
		return
	}
	var batch protocol.InquiryBatchV1
	if err := json.Unmarshal(buf.Bytes(), &batch); err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad inquiry batch",
			credit.Errorf(credit.EINVALID, "查询记录格式错误。", "The inquiry batch is not valid JSON.")))
		return
	}
	if len(batch.Inquiries) > protocol.MaxInquiryBatch {
		s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "too many inquiries",
			credit.Errorf(credit.EINVALID, "查询记录批次过大。", "An upload holds at most %d inquiries.", protocol.MaxInquiryBatch)))
		return
	}
	ack, err := s.ReceiveInquiries(ctx, device, batch.Inquiries)
	if err != nil {
		s.internal(w, r, "receive inquiries", err)
		return
	}
	s.log.Info("inquiries received", "device", device, "acked", len(ack.Acked), "rejected", len(ack.Rejected))
	writeJSON(w, http.StatusOK, ack)
}

// ReceiveInquiries stores the entries device uploaded, each exactly once,
// and publishes the new ones in the change feed, in one transaction. An
// entry already held with the same content is acknowledged again; one
// that does not validate (protocol.CheckInquiry), or reuses a held id with
// other content, is rejected with its reason.
func (s *Server) ReceiveInquiries(ctx context.Context, device string, entries []protocol.InquiryV1) (protocol.InquiryAckV1, error) {
	ack := protocol.InquiryAckV1{Acked: []string{}}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ack = protocol.InquiryAckV1{Acked: []string{}}
		if _, err := tx.ExecContext(ctx, inquirySchema); err != nil {
			return fmt.Errorf("inquiry schema: %w", err)
		}
		now := s.now()
		for _, e := range entries {
			if err := protocol.CheckInquiry(e); err != nil {
				ack.Rejected = append(ack.Rejected, protocol.InquiryRejectV1{ID: e.ID, Reason: credit.ErrorMessageEN(err)})
				continue
			}
			e.At = e.At.UTC()
			body, err := json.Marshal(e)
			if err != nil {
				return err
			}
			digest := protocol.BodyDigest(body)
			var held string
			err = tx.QueryRowContext(ctx, `SELECT digest FROM inquiries WHERE id = ?`, e.ID).Scan(&held)
			switch {
			case err == nil && held == digest:
				ack.Acked = append(ack.Acked, e.ID)
				continue
			case err == nil:
				ack.Rejected = append(ack.Rejected, protocol.InquiryRejectV1{ID: e.ID, Reason: "inquiry id already used for another entry"})
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("look up inquiry: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO inquiries(id, subject_id, device, digest, body, at, received_at) VALUES(?, ?, ?, ?, ?, ?, ?)`,
				e.ID, e.SubjectID, device, digest, string(body), formatTime(e.At), formatTime(now)); err != nil {
				return fmt.Errorf("insert inquiry: %w", err)
			}
			line := protocol.Line{Op: protocol.OpPut, T: string(credit.TypeInquiry), ID: e.ID, Ver: 1, D: body}
			if _, err := logChange(ctx, tx, line, "", now); err != nil {
				return err
			}
			ack.Acked = append(ack.Acked, e.ID)
		}
		return nil
	})
	if err != nil {
		return protocol.InquiryAckV1{}, fmt.Errorf("syncserver: receive inquiries from %s: %w", device, err)
	}
	return ack, nil
}

// InquiriesOf returns every inquiry into subjectID the platform holds, from
// every device, oldest first.
func (s *Server) InquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error) {
	if _, err := s.db.ExecContext(ctx, inquirySchema); err != nil {
		return nil, fmt.Errorf("syncserver: inquiries of: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM inquiries WHERE subject_id = ? ORDER BY at, id`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("syncserver: inquiries of: %w", err)
	}
	defer rows.Close()
	out := []credit.Inquiry{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("syncserver: inquiries of: %w", err)
		}
		var w protocol.InquiryV1
		if err := json.Unmarshal([]byte(body), &w); err != nil {
			return nil, fmt.Errorf("syncserver: inquiries of: stored entry: %w", err)
		}
		out = append(out, protocol.InquiryFromWire(w))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: inquiries of: %w", err)
	}
	return out, nil
}

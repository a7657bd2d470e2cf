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

// Applications arrive by PUT /applications/{uuid} one at a time, or in a
// batch (batch.go). Either way each is accepted exactly once per UUID
// (sync.md §2.6): the same UUID with the same body answers the first
// receipt again (200); with another body 422.

// validateApplication decodes body as the given kind and validates it,
// returning the id it carries.
func validateApplication(kind credit.ApplicationKind, body []byte) (string, error) {
	switch kind {
	case credit.KindObjection:
		var o credit.Objection
		if err := json.Unmarshal(body, &o); err != nil {
			return "", credit.Errorf(credit.EINVALID, "申请内容格式错误。", "The application is not valid JSON: %v", err)
		}
		return o.ID, o.Validate()
	case credit.KindRestoration:
		var o credit.Restoration
		if err := json.Unmarshal(body, &o); err != nil {
			return "", credit.Errorf(credit.EINVALID, "申请内容格式错误。", "The application is not valid JSON: %v", err)
		}
		return o.ID, o.Validate()
	}
	return "", credit.Errorf(credit.EINVALID, "未知的申请类型。", "Unknown application kind %q.", kind)
}

// accept checks one application and stores it once. digest is the hex
// SHA-256 the sender claims for body ("" when it claims none). It
// returns the receipt and 201 (new) or 200 (a repeat), or a problem: 400
// digest mismatch or invalid, 413 too large, 422 the UUID was used with
// another body, 500 a storage fault.
func (s *Server) accept(ctx context.Context, device, id string, kind credit.ApplicationKind, body []byte, digest string) (protocol.ReceiptV1, int, *protocol.Problem) {
	refuse := func(status int, code, zh, en string, args ...any) (protocol.ReceiptV1, int, *protocol.Problem) {
		s.log.Info("application refused", "device", device, "application", id, "code", code)
		return protocol.ReceiptV1{}, status, protocol.NewProblem(status, code, code, credit.Errorf(credit.EINVALID, zh, en, args...))
	}
	if len(body) > protocol.MaxApplicationBytes {
		return refuse(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "申请内容过大。", "The application exceeds %d bytes.", protocol.MaxApplicationBytes)
	}
	if digest != "" && protocol.BodyDigest(body) != digest {
		return refuse(http.StatusBadRequest, protocol.CodeDigestMismatch, "申请内容在传输中损坏。", "The body does not match its digest (Content-Digest).")
	}
	if kind == "" {
		kind = credit.KindObjection
	}
	bodyID, err := validateApplication(kind, body)
	if err != nil {
		s.log.Info("application refused", "device", device, "application", id, "code", protocol.CodeInvalidApplication)
		return protocol.ReceiptV1{}, http.StatusBadRequest, protocol.NewProblem(http.StatusBadRequest, protocol.CodeInvalidApplication, "invalid application", err)
	}
	if bodyID != id {
		return refuse(http.StatusBadRequest, protocol.CodeInvalidApplication, "申请编号与地址不一致。", "The application id %q differs from its UUID.", bodyID)
	}
	rc, created, err := s.receive(ctx, device, kind, id, body)
	switch {
	case errors.Is(err, errDigestMismatch):
		s.log.Warn("idempotency key reused with another body", "device", device, "application", id)
		return protocol.ReceiptV1{}, http.StatusUnprocessableEntity, protocol.NewProblem(http.StatusUnprocessableEntity, protocol.CodeIdempotencyMismatch, "idempotency key reused",
			credit.Errorf(credit.ECONFLICT, "该申请编号已用于另一份申请。", "This application id was already used for a different application."))
	case err != nil:
		s.log.Error("internal error", "op", "receive application", "err", err)
		return protocol.ReceiptV1{}, http.StatusInternalServerError, protocol.NewProblem(http.StatusInternalServerError, protocol.CodeInternal, "internal error", nil)
	}
	if !created {
		return s.signedReceipt(rc), http.StatusOK, nil
	}
	s.log.Info("application received", "device", device, "application", id, "kind", kind, "seq", rc.ServerSeq)
	return s.signedReceipt(rc), http.StatusCreated, nil
}

// putApplication serves PUT /applications/{uuid}: one application, its
// UUID also in Idempotency-Key, its digest in Content-Digest (optional).
func (s *Server) putApplication(w http.ResponseWriter, r *http.Request) {
	device, id := deviceOf(r), r.PathValue("uuid")
	bad := func(status int, code string, zh, en string, args ...any) {
		s.log.Info("application refused", "device", device, "application", id, "code", code)
		s.problem(w, r, protocol.NewProblem(status, code, code, credit.Errorf(credit.EINVALID, zh, en, args...)))
	}
	if key := protocol.ParseIdempotencyKey(r.Header.Get(protocol.HeaderIdempotencyKey)); key != id {
		bad(http.StatusBadRequest, protocol.CodeBadRequest, "Idempotency-Key 必须与申请编号一致。", "The Idempotency-Key header must equal the application UUID in the path.")
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		bad(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "申请内容过大。", "The application exceeds %d bytes.", protocol.MaxApplicationBytes)
		return
	}
	digest := ""
	if h := r.Header.Get(protocol.HeaderContentDigest); h != "" {
		sum, err := protocol.ParseContentDigest(h)
		if err != nil {
			bad(http.StatusBadRequest, protocol.CodeDigestMismatch, "申请内容在传输中损坏。", "The body does not match its Content-Digest.")
			return
		}
		digest = fmt.Sprintf("%x", sum)
	}
	rc, status, p := s.accept(r.Context(), device, id, credit.ApplicationKind(r.Header.Get(protocol.HeaderApplicationKind)), body, digest)
	if p != nil {
		s.problem(w, r, p)
		return
	}
	writeJSON(w, status, rc)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, protocol.MaxApplicationBytes))
	return buf.Bytes(), err
}

var errDigestMismatch = errors.New("application id reused with another digest")

// receive stores the application, its receipt and its "received" status
// change in one transaction, or returns the stored receipt for a replay.
func (s *Server) receive(ctx context.Context, device string, kind credit.ApplicationKind, id string, body []byte) (credit.Receipt, bool, error) {
	digest := protocol.BodyDigest(body)
	rc := credit.Receipt{ApplicationID: id, Digest: digest}
	created := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var stored, at string
		err := tx.QueryRowContext(ctx, `SELECT digest, server_seq, received_at FROM applications WHERE id = ?`, id).Scan(&stored, &rc.ServerSeq, &at)
		switch {
		case err == nil:
			if stored != digest {
				return errDigestMismatch
			}
			return parseTime(at, &rc.ReceivedAt)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("look up application: %w", err)
		}
		rc.ReceivedAt = s.now()
		d, err := json.Marshal(protocol.StatusToWire(credit.StatusUpdate{ApplicationID: id, Status: credit.StatusReceived, At: rc.ReceivedAt}))
		if err != nil {
			return err
		}
		seq, err := logChange(ctx, tx, protocol.Line{Op: protocol.OpPut, T: string(credit.TypeApplicationStatus), ID: id, Ver: 1, D: d}, device, rc.ReceivedAt)
		if err != nil {
			return err
		}
		rc.ServerSeq = seq
		if _, err := tx.ExecContext(ctx, `INSERT INTO applications(id, device, kind, digest, body, status, status_ver, server_seq, received_at)
			VALUES(?, ?, ?, ?, ?, ?, 1, ?, ?)`, id, device, string(kind), digest, body, string(credit.StatusReceived), seq, formatTime(rc.ReceivedAt)); err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		created = true
		return nil
	})
	return rc, created, err
}

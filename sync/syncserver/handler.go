package syncserver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

type ctxKey struct{}

// Handler returns the HTTP handler serving /sync/v1.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+protocol.PathHello, s.hello)
	mux.HandleFunc("GET "+protocol.PathChanges, s.changes)
	mux.HandleFunc("GET "+protocol.PathSnapshot, s.snapshot)
	mux.HandleFunc("POST "+protocol.PathAck, s.ack)
	mux.HandleFunc("PUT "+protocol.PathApplications+"{uuid}", s.putApplication)
	mux.HandleFunc("POST "+protocol.PathInquiries, s.postInquiries) // inquiries.go
	// The officer API (/platform/v1) has its own authentication: ops_http.go.
	// The report registry and the public /verify/v1: lookup_http.go.
	return s.withLookup(s.withPlatform(s.authenticate(mux)))
}

// authenticate maps a signed request (Sync-Signature, see verifySigned)
// to its device id, or "Authorization: Bearer <token>" when
// Options.Devices configures tokens. POST /enroll is the one unsigned
// route: the one-time code is its credential. Every answer carries the
// server clock in Date, from which clients estimate their offset.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", s.now().Format(http.TimeFormat))
		if r.URL.Path == protocol.PathEnroll && r.Method == http.MethodPost {
			s.enroll(w, r)
			return
		}
		if h := r.Header.Get(protocol.HeaderSignature); h != "" {
			if device := s.verifySigned(w, r, h); device != "" {
				s.serveAuthenticated(w, r, next, device)
			}
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		device := ""
		if ok && token != "" && len(s.opts.Devices) > 0 {
			for t, d := range s.opts.Devices {
				if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
					device = d
				}
			}
		}
		if device == "" {
			s.log.Warn("unauthenticated request", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
			s.problem(w, r, protocol.NewProblem(http.StatusUnauthorized, protocol.CodeUnauthorized, "unauthorized",
				credit.Errorf(credit.EUNAUTHORIZED, "本终端未获授权。", "This terminal is not authorised.")))
			return
		}
		s.serveAuthenticated(w, r, next, device)
	})
}

// serveAuthenticated checks the protocol version and serves the request
// as device.
func (s *Server) serveAuthenticated(w http.ResponseWriter, r *http.Request, next http.Handler, device string) {
	if v := r.Header.Get(protocol.HeaderProtocol); v != "" && v != strconv.Itoa(protocol.Version) {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeVersionNotSupported, "protocol version not supported",
			credit.Errorf(credit.EINVALID, "协议版本不受支持。", "Sync protocol version %s is not supported.", v)))
		return
	}
	w.Header().Set(protocol.HeaderProtocol, strconv.Itoa(protocol.Version))
	next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, device)))
}

func deviceOf(r *http.Request) string { d, _ := r.Context().Value(ctxKey{}).(string); return d }

func (s *Server) problem(w http.ResponseWriter, r *http.Request, p *protocol.Problem) {
	w.Header().Set("Content-Type", protocol.ContentTypeProblem)
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
	if p.Status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "code", p.Code)
	}
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	s.log.Error("internal error", "op", op, "err", err)
	s.problem(w, r, protocol.NewProblem(http.StatusInternalServerError, protocol.CodeInternal, "internal error", nil))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", protocol.ContentTypeJSON)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) hello(w http.ResponseWriter, r *http.Request) {
	head, err := headSeq(r.Context(), s.db)
	if err != nil {
		s.internal(w, r, "hello", err)
		return
	}
	h := protocol.Hello{
		Protocol: protocol.Version, ServerTime: s.now(), PageLimit: s.opts.PageLimit,
		MaxStalenessH: protocol.MaxStalenessHours, DeviceID: deviceOf(r), HeadSeq: head,
		MaxApplication: protocol.MaxApplicationBytes, TombstoneHorizonH: int(s.opts.TombstoneHorizon / time.Hour),
	}
	if err := s.restoreInfo(r.Context(), &h); err != nil { // restore.go
		s.internal(w, r, "hello", err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

// changes serves the page of ops after the cursor, visible to the device.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	device := deviceOf(r)
	q := r.URL.Query()
	limit, ok := s.limit(w, r)
	if !ok {
		return
	}
	after, reason, err := s.checkCursor(r.Context(), device, q.Get("cursor"))
	if err != nil {
		s.internal(w, r, "changes", err)
		return
	}
	if reason != "" {
		s.resyncRequired(w, r, reason)
		return
	}
	page, n, dels, err := s.page(r.Context(), device, after, limit)
	if err != nil {
		s.internal(w, r, "changes", err)
		return
	}
	if err := s.recordDeliveries(r.Context(), device, dels); err != nil {
		s.internal(w, r, "changes", err)
		return
	}
	s.log.Debug("page served", "device", device, "after", after, "ops", n, "bytes", len(page))
	s.writePage(w, r, page)
}

// limit reads the limit query parameter, capped at the page limit. On a
// bad value it answers 400 and returns false.
func (s *Server) limit(w http.ResponseWriter, r *http.Request) (int, bool) {
	limit := s.opts.PageLimit
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad limit",
				credit.Errorf(credit.EINVALID, "limit 参数无效。", "limit must be a positive integer.")))
			return 0, false
		}
		limit = min(n, s.opts.PageLimit)
	}
	return limit, true
}

// page encodes up to limit ops after seq for device. It also returns the
// seqs of the tombstones on the page.
func (s *Server) page(ctx context.Context, device string, after int64, limit int) ([]byte, int, []int64, error) {
	asOf := s.now()
	epoch, err := s.epoch(ctx)
	if err != nil {
		return nil, 0, nil, err
	}
	// Every seq up to head was committed when head was read (seqs are
	// taken under the writer lock), so a caught-up page may move the
	// cursor to head even past rows that were superseded, compacted or
	// belong to other devices. This keeps a quiet device's cursor above
	// the compaction floor.
	head, err := headSeq(ctx, s.db)
	if err != nil {
		return nil, 0, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, type, id, ver, op, why, payload FROM change_log
		WHERE seq > ? AND seq <= ? AND device IN ('', ?) ORDER BY seq LIMIT ?`, after, head, device, limit+1)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("query changes: %w", err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	enc := protocol.NewPageEncoder(&buf)
	n, last, more := 0, after, false
	var dels []int64
	for rows.Next() {
		if n == limit {
			more = true
			break
		}
		var l protocol.Line
		var payload []byte
		if err := rows.Scan(&l.Seq, &l.T, &l.ID, &l.Ver, &l.Op, &l.Why, &payload); err != nil {
			return nil, 0, nil, fmt.Errorf("scan change: %w", err)
		}
		l.D = payload
		if err := enc.Encode(l); err != nil {
			return nil, 0, nil, err
		}
		n, last = n+1, l.Seq
		if l.Op == protocol.OpDel {
			dels = append(dels, l.Seq)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nil, fmt.Errorf("read changes: %w", err)
	}
	if !more {
		last = max(last, head)
	}
	next := encodeCursor(s.key, device, cursor{V: cursorVersion, Epoch: epoch, Seq: last})
	if err := enc.End(next, more, asOf); err != nil {
		return nil, 0, nil, err
	}
	return buf.Bytes(), n, dels, nil
}

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

// putApplication stores an application exactly once per UUID.
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
	if h := r.Header.Get(protocol.HeaderContentDigest); h != "" {
		if sum, err := protocol.ParseContentDigest(h); err != nil || protocol.BodyDigest(body) != fmt.Sprintf("%x", sum) {
			bad(http.StatusBadRequest, protocol.CodeDigestMismatch, "申请内容在传输中损坏。", "The body does not match its Content-Digest.")
			return
		}
	}
	kind := credit.ApplicationKind(r.Header.Get(protocol.HeaderApplicationKind))
	if kind == "" {
		kind = credit.KindObjection
	}
	bodyID, err := validateApplication(kind, body)
	if err != nil {
		s.log.Info("application refused", "device", device, "application", id, "code", protocol.CodeInvalidApplication)
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeInvalidApplication, "invalid application", err))
		return
	}
	if bodyID != id {
		bad(http.StatusBadRequest, protocol.CodeInvalidApplication, "申请编号与地址不一致。", "The application id %q differs from the UUID in the path.", bodyID)
		return
	}
	rc, created, err := s.receive(r.Context(), device, kind, id, body)
	switch {
	case errors.Is(err, errDigestMismatch):
		s.log.Warn("idempotency key reused with another body", "device", device, "application", id)
		s.problem(w, r, protocol.NewProblem(http.StatusUnprocessableEntity, protocol.CodeIdempotencyMismatch, "idempotency key reused",
			credit.Errorf(credit.ECONFLICT, "该申请编号已用于另一份申请。", "This application id was already used for a different application.")))
		return
	case err != nil:
		s.internal(w, r, "receive application", err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.log.Info("application received", "device", device, "application", id, "kind", kind, "seq", rc.ServerSeq)
	}
	writeJSON(w, status, protocol.ReceiptToWire(rc))
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

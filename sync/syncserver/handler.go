package syncserver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
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
	mux.HandleFunc("POST "+protocol.PathApplicationsBatch, s.batchApplications) // batch.go
	mux.HandleFunc("POST "+protocol.PathInquiries, s.postInquiries)             // inquiries.go
	s.blobRoutes(mux)                                                           // blobs.go: evidence uploads and manifests
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
	head, err := headSeq(r.Context(), s.rdb)
	if err != nil {
		s.internal(w, r, "hello", err)
		return
	}
	h := protocol.Hello{
		Protocol: protocol.Version, ServerTime: s.now(), PageLimit: s.opts.PageLimit,
		MaxStalenessH: protocol.MaxStalenessHours, DeviceID: deviceOf(r), HeadSeq: head,
		MaxApplication: protocol.MaxApplicationBytes, TombstoneHorizonH: int(s.opts.TombstoneHorizon / time.Hour),
		BatchApplications: protocol.MaxBatchItems,
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
	// The state and the page are read in one read transaction of the read
	// pool: one consistent snapshot, and no wait for the writer.
	var (
		reason string
		after  int64
		page   []byte
		n      int
		dels   []int64
		rest   int64
	)
	err := s.readTx(r.Context(), func(tx querier) error {
		st, err := readFeedState(r.Context(), tx, device)
		if err != nil {
			return err
		}
		if after, reason = s.checkCursor(st, device, q.Get("cursor")); reason != "" {
			return nil
		}
		page, n, dels, rest, err = s.pageIn(r.Context(), tx, st, device, after, limit)
		return err
	})
	if err != nil {
		s.internal(w, r, "changes", err)
		return
	}
	if reason != "" {
		s.resyncRequired(w, r, reason)
		return
	}
	if err := s.recordDeliveries(r.Context(), device, dels); err != nil {
		s.internal(w, r, "changes", err)
		return
	}
	s.log.Debug("page served", "device", device, "after", after, "ops", n, "bytes", len(page))
	w.Header().Set(protocol.HeaderRemaining, protocol.FormatRemaining(rest))
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

// page encodes up to limit ops after seq for device, as GET /changes
// would (without the cursor checks).
func (s *Server) page(ctx context.Context, device string, after int64, limit int) (page []byte, n int, dels []int64, err error) {
	err = s.readTx(ctx, func(tx querier) error {
		st, err := readFeedState(ctx, tx, device)
		if err != nil {
			return err
		}
		page, n, dels, _, err = s.pageIn(ctx, tx, st, device, after, limit)
		return err
	})
	return page, n, dels, err
}

// pageQuery reads the ops of a page (args: after, head, device, scope,
// limit).
const pageQuery = `SELECT seq, type, id, ver, op, why, payload FROM change_log
		WHERE seq > ? AND seq <= ? AND (device = ? OR (device = '' AND ` + inScopeFunc + `(?, region))) ORDER BY seq LIMIT ?`

// pageIn encodes up to limit ops after seq for device in state st, read
// through q: the ops for everyone in the device's scope and the device's
// own. It also returns the seqs of the tombstones on the page and the
// seqs still to come after it (head − the next cursor's seq).
func (s *Server) pageIn(ctx context.Context, q querier, st feedState, device string, after int64, limit int) ([]byte, int, []int64, int64, error) {
	asOf := s.now()
	// Every seq up to head was committed when head was read (seqs are
	// taken under the writer lock), so a caught-up page may move the
	// cursor to head even past rows that were superseded, compacted,
	// out of scope or belong to other devices. This keeps a quiet
	// device's cursor above the compaction floor.
	head := st.head
	rows, err := q.QueryContext(ctx, pageQuery, after, head, device, st.scope.String(), limit+1)
	if err != nil {
		return nil, 0, nil, 0, fmt.Errorf("query changes: %w", err)
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
			return nil, 0, nil, 0, fmt.Errorf("scan change: %w", err)
		}
		l.D = payload
		if err := enc.Encode(l); err != nil {
			return nil, 0, nil, 0, err
		}
		n, last = n+1, l.Seq
		if l.Op == protocol.OpDel {
			dels = append(dels, l.Seq)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, nil, 0, fmt.Errorf("read changes: %w", err)
	}
	if !more {
		last = max(last, head)
	}
	next := encodeCursor(s.key, device, cursor{V: cursorVersion, Epoch: st.epoch, Seq: last, Scope: st.scope.hash()})
	if err := enc.End(next, more, asOf); err != nil {
		return nil, 0, nil, 0, err
	}
	return buf.Bytes(), n, dels, head - last, nil
}

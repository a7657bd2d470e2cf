package syncserver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// A snapshot pages every subject, every record, the device's own
// application statuses and the inquiry log entries of subjects in scope,
// in key order. Keys are "<phase>/<id>" with the
// phases in snapshotPhases order; after= is the last key a page held.
var snapshotPhases = []struct {
	prefix string
	typ    credit.ChangeType
	query  string // args: after-id, device, scope (scope.go), limit
	// count counts the phase's rows for the whole province (scope ""),
	// without arguments; "" counts with query.
	count string
}{
	{"s", credit.TypeSubject, `SELECT id, ver, body FROM subjects WHERE id > ? AND ? IS NOT NULL AND ` + inScopeFunc + `(?, region) ORDER BY id LIMIT ?`,
		`SELECT count(*) FROM subjects`},
	{"r", credit.TypeRecord, `SELECT id, ver, body FROM records WHERE id > ? AND ? IS NOT NULL AND ` + inScopeFunc + `(?, region) ORDER BY id LIMIT ?`,
		`SELECT count(*) FROM records`},
	{"a", credit.TypeApplicationStatus, `SELECT id, ver, payload FROM change_log
		WHERE type = 'application_status' AND op = 'put' AND id > ? AND device = ? AND ? IS NOT NULL ORDER BY id LIMIT ?`, ""},
	// Inquiry log entries of subjects in scope, from every terminal
	// (inquiries.go; Art. 24, 45): a device that resyncs or bootstraps
	// shows who looked before it joined, as the feed would have told it.
	{"q", credit.TypeInquiry, `SELECT id, 1, body FROM inquiries WHERE id > ? AND ? IS NOT NULL AND ` + inScopeFunc +
		`(?, COALESCE((SELECT region FROM subjects WHERE subjects.id = inquiries.subject_id), ` + subjectRegionFunc + `(inquiries.subject_id, ''))) ORDER BY id LIMIT ?`,
		`SELECT count(*) FROM inquiries`},
}

// snapshotToken binds a snapshot to its start seq S0, the epoch and the
// device.
type snapshotToken struct {
	V     int    `json:"v"`
	Epoch string `json:"e"`
	S0    int64  `json:"s0"`
	Scope string `json:"sc,omitempty"` // scope hash (scope.go)
}

func snapshotMAC(key []byte, device, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("credit-sync-snapshot\x00"))
	m.Write([]byte(device))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

func encodeSnapshotToken(key []byte, device string, t snapshotToken) string {
	b, _ := json.Marshal(t) // ints and a string always marshal
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(snapshotMAC(key, device, payload))
}

// decodeSnapshotToken verifies a token; a token of another epoch wraps
// errEpochChanged, any other failure errBadCursor.
func decodeSnapshotToken(key []byte, device, epoch, s string) (snapshotToken, error) {
	var t snapshotToken
	if len(s) > maxCursorLen {
		return t, fmt.Errorf("token too long: %w", errBadCursor)
	}
	payload, sig, ok := strings.Cut(s, ".")
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err != nil || !hmac.Equal(mac, snapshotMAC(key, device, payload)) {
		return t, fmt.Errorf("snapshot token does not verify: %w", errBadCursor)
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &t) != nil || t.V != cursorVersion || t.S0 < 0 {
		return t, fmt.Errorf("snapshot token payload: %w", errBadCursor)
	}
	if t.Epoch != epoch {
		return t, errEpochChanged
	}
	return t, nil
}

// snapshot serves GET /snapshot?token=&after=&limit=. Without a token it
// starts a snapshot at the current change-log head S0.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	ctx, device, q := r.Context(), deviceOf(r), r.URL.Query()
	limit, ok := s.limit(w, r)
	if !ok {
		return
	}
	epoch, err := s.epoch(ctx)
	if err != nil {
		s.internal(w, r, "snapshot", err)
		return
	}
	var tok snapshotToken
	if raw := q.Get("token"); raw != "" {
		tok, err = decodeSnapshotToken(s.key, device, epoch, raw)
		if errors.Is(err, errEpochChanged) {
			s.resyncRequired(w, r, protocol.ReasonSnapshotGone)
			return
		} else if err != nil {
			s.log.Warn("bad snapshot token", "device", device, "err", err)
			s.resyncRequired(w, r, protocol.ReasonBadCursor)
			return
		}
	} else {
		head, err := headSeq(ctx, s.rdb)
		if err != nil {
			s.internal(w, r, "snapshot", err)
			return
		}
		tok = snapshotToken{V: cursorVersion, Epoch: epoch, S0: head}
	}
	// A snapshot serves one scope: when the device's scope changed
	// meanwhile, it starts over (rows of the old scope must not survive
	// the sweep).
	sc, err := s.deviceScope(ctx, device)
	if err != nil {
		s.internal(w, r, "snapshot", err)
		return
	}
	if q.Get("token") == "" {
		tok.Scope = sc.hash()
	} else if tok.Scope != sc.hash() {
		s.resyncRequired(w, r, protocol.ReasonScopeChanged)
		return
	}
	after := q.Get("after")
	if !validAfter(after) {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad after",
			credit.Errorf(credit.EINVALID, "after 参数无效。", "after is not a snapshot key.")))
		return
	}
	key := aheadKey{device: device, token: q.Get("token"), after: after, limit: limit,
		encoding: acceptedEncoding(r.Header.Get("Accept-Encoding"))}
	// A page read ahead for exactly this request (snapshot_ahead.go).
	if p := s.ahead.take(key); p != nil {
		if err := p.wait(ctx); err == nil {
			s.log.Debug("snapshot page served", "device", device, "s0", tok.S0, "ops", p.n, "bytes", len(p.body), "read_ahead", true)
			s.readAheadNext(key, sc, tok, p.n, p.last)
			writeBody(w, p.body, key.encoding)
			return
		} else if ctx.Err() != nil {
			return // the device went away
		}
	}
	body, n, last, err := s.snapshotBody(ctx, device, sc, tok, after, limit, key.encoding)
	if err != nil {
		s.internal(w, r, "snapshot", err)
		return
	}
	if after == "" { // the first page says how many rows the snapshot holds
		total, err := s.snapshotRows(ctx, device, sc)
		if err != nil {
			s.internal(w, r, "snapshot", err)
			return
		}
		w.Header().Set(protocol.HeaderRemaining, protocol.FormatRemaining(total-int64(n)))
	}
	s.log.Debug("snapshot page served", "device", device, "s0", tok.S0, "ops", n, "bytes", len(body))
	s.readAheadNext(key, sc, tok, n, last)
	writeBody(w, body, key.encoding)
}

// readAheadNext starts reading the page after one of n rows ending at key
// last served for key, when that page was full (more rows may follow).
func (s *Server) readAheadNext(key aheadKey, sc scope, tok snapshotToken, n int, last string) {
	if s.opts.NoReadAhead || n < key.limit {
		return
	}
	next := key
	next.token, next.after = encodeSnapshotToken(s.key, key.device, tok), last
	s.ahead.start(next, s.now(), func(ctx context.Context) ([]byte, int, string, error) {
		return s.snapshotBody(ctx, key.device, sc, tok, next.after, next.limit, next.encoding)
	})
}

// pageBufs holds the buffers snapshot pages are encoded into (megabytes
// each at 5,000 rows): growing a fresh one for every page cost ≈ 0.6 s
// of CPU (memclr and copies) in the 1M-record bootstrap.
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// snapshotBody is snapshotPage compressed with encoding (acceptedEncoding).
func (s *Server) snapshotBody(ctx context.Context, device string, sc scope, tok snapshotToken, after string, limit int, encoding string) ([]byte, int, string, error) {
	buf := pageBufs.Get().(*bytes.Buffer)
	buf.Reset()
	n, last, err := s.snapshotPage(ctx, buf, device, sc, tok, after, limit)
	if err != nil {
		pageBufs.Put(buf)
		return nil, 0, "", err
	}
	body, enc := compressAs(encoding, buf.Bytes())
	if enc != "" { // body is a copy: the buffer may serve another page
		pageBufs.Put(buf)
	}
	return body, n, last, nil
}

// snapshotRows counts the rows a snapshot of scope sc sends device, by
// the phases' own queries without their limit. For the whole province a
// phase with a count query counts its table instead: SQLite then walks the
// table's smallest index, not every row's body and region (≈ 2.8 s of
// CPU on 1.5 M rows before).
func (s *Server) snapshotRows(ctx context.Context, device string, sc scope) (int64, error) {
	var total int64
	for _, p := range snapshotPhases {
		var n int64
		q, args := `SELECT count(*) FROM (`+p.query+`)`, []any{"", device, sc.String(), -1}
		if sc.all() && p.count != "" {
			q, args = p.count, nil
		}
		if err := s.rdb.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("snapshot rows %s: %w", p.typ, err)
		}
		total += n
	}
	return total, nil
}

// validAfter reports whether after is "" or "<phase prefix>/<id>" of a
// known phase. An unknown key must not end a snapshot early: the sweep
// would then erase rows the snapshot never sent.
func validAfter(after string) bool {
	if after == "" {
		return true
	}
	if len(after) > 256 {
		return false
	}
	pfx, _, ok := strings.Cut(after, "/")
	if !ok {
		return false
	}
	for _, p := range snapshotPhases {
		if p.prefix == pfx {
			return true
		}
	}
	return false
}

// snapshotPage encodes up to limit rows after the key after (validAfter)
// into buf and returns its rows and its last key.
func (s *Server) snapshotPage(ctx context.Context, buf *bytes.Buffer, device string, sc scope, tok snapshotToken, after string, limit int) (int, string, error) {
	asOf := s.now()
	phase, afterID := 0, ""
	if after != "" {
		pfx, id, _ := strings.Cut(after, "/")
		for i, p := range snapshotPhases {
			if p.prefix == pfx {
				phase, afterID = i, id
			}
		}
	}
	enc := protocol.NewPageEncoder(buf)
	n, last := 0, after
	// The first page carries the current trust list, so a freshly
	// enrolled device can check printed codes after its first sync.
	var base int64
	if after == "" {
		tl, err := s.snapshotTrustList(ctx)
		if err != nil {
			return 0, "", fmt.Errorf("snapshot: %w", err)
		}
		if tl != nil {
			base, tl.Seq = 1, 1
			if err := enc.Encode(*tl); err != nil {
				return 0, "", err
			}
		}
		cals, err := s.snapshotCalendars(ctx) // calendar.go
		if err != nil {
			return 0, "", fmt.Errorf("snapshot: %w", err)
		}
		for _, l := range cals {
			base++
			l.Seq = base
			if err := enc.Encode(l); err != nil {
				return 0, "", err
			}
		}
	}
	for ; phase < len(snapshotPhases) && n < limit; phase, afterID = phase+1, "" {
		p := snapshotPhases[phase]
		// Read on the read pool (readpool.go): each query sees a committed
		// state at or after S0, which is all a snapshot page needs (the
		// feed from S0 replays what changed meanwhile).
		rows, err := s.rdb.QueryContext(ctx, p.query, afterID, device, sc.String(), limit-n)
		if err != nil {
			return 0, "", fmt.Errorf("snapshot %s: %w", p.typ, err)
		}
		for rows.Next() {
			l := protocol.Line{Op: protocol.OpPut, T: string(p.typ)}
			var body []byte
			if err := rows.Scan(&l.ID, &l.Ver, &body); err != nil {
				rows.Close()
				return 0, "", fmt.Errorf("snapshot %s: %w", p.typ, err)
			}
			n++
			// Snapshot lines are not change-log entries: seq numbers them
			// within the page.
			l.Seq, l.D, last = base+int64(n), body, p.prefix+"/"+l.ID
			// Bodies are stored compact (json.Marshal at write time):
			// served as they are, not re-compacted.
			if err := enc.EncodeStored(l); err != nil {
				rows.Close()
				return 0, "", err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return 0, "", fmt.Errorf("snapshot %s: %w", p.typ, err)
		}
	}
	more := n == limit
	t := protocol.Trailer{
		Next: encodeCursor(s.key, device, cursor{V: cursorVersion, Epoch: tok.Epoch, Seq: tok.S0, Scope: tok.Scope}), More: more, AsOf: asOf,
		SnapshotSeq: tok.S0, Token: encodeSnapshotToken(s.key, device, tok), After: last,
	}
	if err := enc.EndTrailer(t); err != nil {
		return 0, "", err
	}
	return n, last, nil
}

package protocol

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Op names on a change page.
const (
	OpPut = "put"
	OpDel = "del"
	OpEnd = "end"
)

// ErrMalformedPage is wrapped by every error DecodePage returns for a page
// that must not be applied: truncated, over the size cap, with a bad
// trailer, or with a line that does not parse.
var ErrMalformedPage = errors.New("malformed change page")

// Line is one op line of a change page. A del line carries no "d".
type Line struct {
	Op  string          `json:"op"`
	T   string          `json:"t"`
	ID  string          `json:"id"`
	Ver int64           `json:"ver"`
	Seq int64           `json:"seq"`
	D   json.RawMessage `json:"d,omitempty"`
	Why string          `json:"why,omitempty"`
}

// Trailer is the last line of a page. N counts the op lines before it and
// SHA256 is the hex SHA-256 of all bytes before it; a client applies a page
// only when both match.
type Trailer struct {
	Op     string    `json:"op"` // always "end"
	Next   string    `json:"next"`
	More   bool      `json:"more"`
	N      int       `json:"n"`
	SHA256 string    `json:"sha256"`
	AsOf   time.Time `json:"as_of"`
	// Snapshot pages only: the change-log head S0 the snapshot started at,
	// the snapshot token and the key to continue after. On a snapshot
	// page Next is the change cursor at S0, to be saved once the last
	// page is applied and the sweep done.
	SnapshotSeq int64  `json:"snapshot_seq,omitempty"`
	Token       string `json:"token,omitempty"`
	After       string `json:"after,omitempty"`
}

// PageEncoder writes one change page as NDJSON. Call Encode for each op
// and End once.
type PageEncoder struct {
	w     io.Writer
	h     hash.Hash
	n     int
	ended bool
	buf   []byte // EncodeStored's line, reused
}

// NewPageEncoder returns an encoder writing to w.
func NewPageEncoder(w io.Writer) *PageEncoder {
	return &PageEncoder{w: w, h: sha256.New()}
}

// Encode writes one op line. A del line loses any payload it was given.
func (e *PageEncoder) Encode(l Line) error {
	if e.ended {
		return errors.New("protocol: encode after end of page")
	}
	switch l.Op {
	case OpPut:
		if len(l.D) == 0 {
			return fmt.Errorf("protocol: put %s %q without data", l.T, l.ID)
		}
	case OpDel:
		l.D = nil // tombstones carry no personal data
	default:
		return fmt.Errorf("protocol: cannot encode op %q", l.Op)
	}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("protocol: encode %s %s %q: %w", l.Op, l.T, l.ID, err)
	}
	b = append(b, '\n')
	e.h.Write(b)
	e.n++
	if _, err := e.w.Write(b); err != nil {
		return fmt.Errorf("protocol: write page: %w", err)
	}
	return nil
}

// EncodeChange converts a domain change to its op line and writes it.
func (e *PageEncoder) EncodeChange(c credit.Change) error {
	l, err := LineFromChange(c)
	if err != nil {
		return err
	}
	return e.Encode(l)
}

// End writes the trailer line.
func (e *PageEncoder) End(next string, more bool, asOf time.Time) error {
	return e.EndTrailer(Trailer{Next: next, More: more, AsOf: asOf})
}

// EndTrailer writes the trailer line t, filling in its op, count and hash.
func (e *PageEncoder) EndTrailer(t Trailer) error {
	if e.ended {
		return errors.New("protocol: page already ended")
	}
	e.ended = true
	t.Op, t.N, t.SHA256, t.AsOf = OpEnd, e.n, hex.EncodeToString(e.h.Sum(nil)), t.AsOf.UTC()
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("protocol: encode trailer: %w", err)
	}
	if _, err := e.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("protocol: write page: %w", err)
	}
	return nil
}

// LineFromChange converts a domain change to its op line (toWire).
func LineFromChange(c credit.Change) (Line, error) {
	l := Line{Op: string(c.Op), T: string(c.Type), ID: c.ID, Ver: c.Version, Seq: c.Seq}
	switch c.Op {
	case credit.OpPut:
		d, err := Payload(c)
		if err != nil {
			return l, err
		}
		l.D = d
	case credit.OpDel:
		l.Why = c.Reason
	default:
		return l, fmt.Errorf("protocol: unknown change op %q", c.Op)
	}
	return l, nil
}

// EncodePage returns a whole page holding changes, in order.
func EncodePage(changes []credit.Change, next string, more bool, asOf time.Time) ([]byte, error) {
	var buf bytes.Buffer
	e := NewPageEncoder(&buf)
	for _, c := range changes {
		if err := e.EncodeChange(c); err != nil {
			return nil, err
		}
	}
	if err := e.End(next, more, asOf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Page is a decoded, verified change page.
type Page struct {
	Changes []credit.Change
	Next    string    // cursor to save with the page
	More    bool      // another page follows
	AsOf    time.Time // server time the page was cut
	Skipped int       // ops of types this version does not know (ignored)
	Size    int       // bytes read
	// Quarantined holds the puts of known types this version could not
	// parse: they are kept aside, never applied, and never fail the page.
	Quarantined []Quarantined
	// Snapshot pages only (see Trailer).
	SnapshotSeq int64
	Token       string
	After       string
	// Remaining is the changes still to come after this page per the
	// Sync-Remaining header (progress.go), set by the HTTP client, not
	// read from the body: -1 when unknown, 0 when decoded by DecodePage.
	Remaining int64
}

// Quarantined is a put line the client could not parse.
type Quarantined struct {
	Seq    int64
	Type   string
	ID     string
	Ver    int64
	Data   json.RawMessage // the line's "d" as received
	Reason string
}

// anyLine is the union of an op line and a trailer, for decoding.
type anyLine struct {
	Line
	Next   string    `json:"next"`
	More   bool      `json:"more"`
	N      int       `json:"n"`
	SHA256 string    `json:"sha256"`
	AsOf   time.Time `json:"as_of"`

	SnapshotSeq int64  `json:"snapshot_seq"`
	Token       string `json:"token"`
	After       string `json:"after"`
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("protocol: decode page: %s: %w", fmt.Sprintf(format, args...), ErrMalformedPage)
}

// DecodePage reads and verifies a whole change page from r, reading at most
// maxBytes (MaxPageBytes if maxBytes <= 0). It refuses a page whose
// trailer is missing, whose count or hash does not match, that has bytes
// after the trailer, an unknown op or seqs out of order. Ops of unknown
// types are counted in Skipped and left out; a put of a known type whose
// data does not parse goes to Quarantined and does not fail the page.
// Every refusal wraps ErrMalformedPage; a read error is returned wrapped
// as it is.
func DecodePage(r io.Reader, maxBytes int64) (*Page, error) {
	body, err := ReadPage(r, maxBytes, nil) // page_read.go
	if err != nil {
		return nil, err
	}
	return decodePage(body)
}

func decodePage(body []byte) (*Page, error) {
	// At most one change per line: the changes get their room at once
	// instead of growing as they come.
	p := &Page{Size: len(body), Changes: make([]credit.Change, 0, bytes.Count(body, []byte{'\n'}))}
	var lastSeq int64
	n := 0
	for off, lineNo := 0, 1; off < len(body); lineNo++ {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			return nil, malformed("line %d: truncated (no newline, no trailer)", lineNo)
		}
		raw := body[off : off+end]
		start := off
		off += end + 1
		if len(raw) > MaxLineBytes {
			return nil, malformed("line %d: longer than %d bytes", lineNo, MaxLineBytes)
		}
		var l anyLine
		fl, fc, fast := fastChange(raw) // page_fast.go
		if fast {
			l.Line = fl
		} else if err := json.Unmarshal(raw, &l); err != nil {
			return nil, malformed("line %d: %v", lineNo, err)
		}
		switch l.Op {
		case OpEnd:
			if off != len(body) {
				return nil, malformed("line %d: data after the trailer", lineNo+1)
			}
			if l.N != n {
				return nil, malformed("trailer counts %d ops, page has %d", l.N, n)
			}
			sum := sha256.Sum256(body[:start])
			if l.SHA256 != hex.EncodeToString(sum[:]) {
				return nil, malformed("trailer hash does not match the page")
			}
			if l.Next == "" {
				return nil, malformed("trailer has no next cursor")
			}
			if l.AsOf.IsZero() {
				return nil, malformed("trailer has no as_of time")
			}
			p.Next, p.More, p.AsOf = l.Next, l.More, l.AsOf
			p.SnapshotSeq, p.Token, p.After = l.SnapshotSeq, l.Token, l.After
			return p, nil
		case OpPut, OpDel:
		default:
			return nil, malformed("line %d: unknown op %q", lineNo, l.Op)
		}
		n++
		if l.ID == "" || l.Seq <= 0 {
			return nil, malformed("line %d: op without id or seq", lineNo)
		}
		if l.Seq <= lastSeq {
			return nil, malformed("line %d: seq %d not after %d", lineNo, l.Seq, lastSeq)
		}
		lastSeq = l.Seq
		if !knownType(l.T) {
			p.Skipped++
			continue
		}
		c, err := fc, error(nil)
		if !fast {
			c, err = changeFromLine(l.Line)
		}
		if err != nil {
			if l.Op == OpPut {
				// A put this version cannot read must not hold up the
				// deletions on the same page (sync.md §2.3, F17).
				p.Quarantined = append(p.Quarantined, Quarantined{Seq: l.Seq, Type: l.T, ID: l.ID, Ver: l.Ver, Data: l.D, Reason: err.Error()})
				continue
			}
			return nil, malformed("line %d: %v", lineNo, err)
		}
		p.Changes = append(p.Changes, c)
	}
	return nil, malformed("truncated: no trailer")
}

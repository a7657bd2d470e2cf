package protocol

import (
	"time"
	"unicode/utf8"
)

// The fast path of the payload decode: a subject or record body as
// json.Marshal writes it — a flat object, keys in the struct's order,
// string values without escapes — is read without reflection. Anything
// else (escapes, nested listing or history, null, whitespace, another key
// order or spelling) answers ok=false and encoding/json decodes it, so
// the result is the same either way (FuzzDecodeLineFast, FuzzPayloadFast).

// scanObject reads a flat JSON object: for each key, val reads the value
// at the start of p and returns what follows it.
// The key is handed as a sub-slice of d (compared with string(key), which
// does not allocate).
func scanObject(d []byte, val func(key, p []byte) ([]byte, bool)) ([]byte, bool) {
	if len(d) < 2 || d[0] != '{' {
		return d, false
	}
	p := d[1:]
	if p[0] == '}' {
		return p[1:], true
	}
	for {
		key, rest, ok := plainBytes(p)
		if !ok || len(rest) == 0 || rest[0] != ':' {
			return d, false
		}
		if rest, ok = val(key, rest[1:]); !ok || len(rest) == 0 {
			return d, false
		}
		switch rest[0] {
		case '}':
			return rest[1:], true
		case ',':
			p = rest[1:]
		default:
			return d, false
		}
	}
}

// scanFlat calls f with each key and its quoted string value, in order;
// "history" (a record's change history) is handed to f unquoted as the
// whole array.
func scanFlat(d []byte, f func(key, val []byte) bool) bool {
	rest, ok := scanObject(d, func(key, p []byte) ([]byte, bool) {
		var v, rest []byte
		var ok bool
		if string(key) == "history" {
			v, rest, ok = historyRaw(p)
		} else {
			v, rest, ok = quotedRaw(p)
		}
		return rest, ok && f(key, v)
	})
	return ok && len(rest) == 0
}

// historyRaw returns the array at the start of p: flat objects, at least
// one.
func historyRaw(p []byte) ([]byte, []byte, bool) {
	if len(p) < 2 || p[0] != '[' || p[1] == ']' {
		return nil, p, false
	}
	q := p[1:]
	for {
		rest, ok := scanObject(q, func(_, v []byte) ([]byte, bool) {
			if len(v) > 0 && v[0] == '"' {
				_, rest, ok := quotedRaw(v)
				return rest, ok
			}
			_, rest, ok := plainInt(v)
			return rest, ok
		})
		if !ok || len(rest) == 0 {
			return nil, p, false
		}
		switch rest[0] {
		case ']':
			n := len(p) - len(rest) + 1
			return p[:n], rest[1:], true
		case ',':
			q = rest[1:]
		default:
			return nil, p, false
		}
	}
}

// historyFast decodes the array historyRaw accepted.
func historyFast(a []byte) ([]RecordChangeV1, bool) {
	var h []RecordChangeV1
	q := a[1:]
	for len(q) > 1 {
		var w RecordChangeV1
		var o fieldOrder
		rest, ok := scanObject(q, func(k, v []byte) ([]byte, bool) {
			switch string(k) {
			case "ver":
				n, rest, ok := plainInt(v)
				w.Ver = n
				return rest, ok && o.at(0)
			case "reason", "note":
				s, rest, ok := quotedRaw(v)
				if string(k) == "reason" {
					w.Reason = unquote(s)
					return rest, ok && o.at(1)
				}
				w.Note = unquote(s)
				return rest, ok && o.at(3)
			case "at":
				s, rest, ok := quotedRaw(v)
				return rest, ok && w.At.UnmarshalJSON(s) == nil && o.at(2)
			}
			return v, false
		})
		if !ok || len(rest) == 0 {
			return nil, false
		}
		h = append(h, w)
		q = rest[1:] // past ',' or ']'
	}
	return h, true
}

// quotedRaw returns the quoted JSON string at the start of p, quotes
// included, when it has no escape, no control byte and valid UTF-8.
func quotedRaw(p []byte) ([]byte, []byte, bool) {
	if len(p) == 0 || p[0] != '"' {
		return nil, p, false
	}
	for i := 1; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			if !utf8.Valid(p[1:i]) {
				return nil, p, false
			}
			return p[:i+1], p[i+1:], true
		case c < 0x20 || c == '\\':
			return nil, p, false
		}
	}
	return nil, p, false
}

// fieldOrder checks that keys come in the struct's order, each once.
type fieldOrder struct{ next int }

func (o *fieldOrder) at(i int) bool {
	if i < o.next {
		return false
	}
	o.next = i + 1
	return true
}

func unquote(v []byte) string { return string(v[1 : len(v)-1]) }

// body is one payload copied to a string once, so that the string fields
// decoded from it are substrings of that one allocation instead of one
// allocation each. Used for records only: the store keeps nothing of a
// record once written, whereas it keeps a subject's id beside its
// bootstrap's name index (a substring would keep the whole body alive).
type body struct {
	d   []byte
	src string // string(d)
}

func newBody(d []byte) body { return body{d: d, src: string(d)} }

// unquote returns the quoted value v, a sub-slice of b.d as scanFlat hands
// it, without its quotes, as a substring of b.src.
func (b body) unquote(v []byte) string {
	off := cap(b.d) - cap(v) // v's offset in d: it shares d's array
	if off < 0 || off+len(v) > len(b.src) || len(v) < 2 {
		return unquote(v) // not a sub-slice of d (cannot happen): copy
	}
	return b.src[off+1 : off+len(v)-1]
}

// subjectFast decodes a SubjectV1 body of the canonical shape.
func subjectFast(d []byte) (w SubjectV1, ok bool) {
	var o fieldOrder
	ok = scanFlat(d, func(k, v []byte) bool {
		switch string(k) {
		case "id":
			w.ID = unquote(v)
			return o.at(0)
		case "kind":
			w.Kind = unquote(v)
			return o.at(1)
		case "name":
			w.Name = unquote(v)
			return o.at(2)
		case "region":
			w.Region = unquote(v)
			return o.at(3)
		}
		return false
	})
	if !ok {
		return SubjectV1{}, false
	}
	return w, true
}

// recordFast decodes a RecordV1 body of the canonical shape without a
// serious-list statement or history.
func recordFast(d []byte) (w RecordV1, ok bool) {
	var o fieldOrder
	b := newBody(d)
	str := func(dst *string, v []byte, i int) bool { *dst = b.unquote(v); return o.at(i) }
	tm := func(dst *time.Time, v []byte, i int) bool { return dst.UnmarshalJSON(v) == nil && o.at(i) }
	ok = scanFlat(d, func(k, v []byte) bool {
		switch string(k) {
		case "id":
			return str(&w.ID, v, 0)
		case "subject_id":
			return str(&w.SubjectID, v, 1)
		case "category":
			return str(&w.Category, v, 2)
		case "title":
			return str(&w.Title, v, 3)
		case "content":
			return str(&w.Content, v, 4)
		case "source_unit":
			return str(&w.SourceUnit, v, 5)
		case "document_no":
			return str(&w.DocumentNo, v, 6)
		case "legal_basis":
			return str(&w.LegalBasis, v, 7)
		case "decision_date":
			return tm(&w.DecisionDate, v, 8)
		case "publicity_until":
			return tm(&w.PublicityUntil, v, 9)
		case "tier":
			return str(&w.Tier, v, 10)
		case "history":
			h, ok := historyFast(v)
			w.History = h
			return ok && o.at(12)
		}
		return false
	})
	if !ok {
		return RecordV1{}, false
	}
	return w, true
}

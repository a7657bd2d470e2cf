package protocol

import (
	"bytes"
	"strconv"

	credit "github.com/gansu-credit/credit"
)

// The fast path of the page decoder. Nearly every op line a server writes
// has the fixed shape PageEncoder gives it:
//
//	{"op":"put","t":"record","id":"R1","ver":1,"seq":7,"d":{...}}
//	{"op":"del","t":"record","id":"R1","ver":2,"seq":8}
//	{"op":"del","t":"record","id":"R1","ver":2,"seq":8,"why":"withdrawn"}
//
// scanLine reads exactly that shape without a reflective decode of the
// whole line (whose "d" encoding/json would scan once for the line and
// once more for the payload). It accepts only plain ASCII strings without
// escapes and plain decimal numbers; anything else — another key order,
// whitespace, escapes, a trailer — answers ok=false and the line goes
// through encoding/json as before, so both paths give the same result
// (FuzzDecodeLineFast checks it).

// scanLine parses raw in the canonical op-line shape. "d" is returned as a
// sub-slice of raw and is not validated here: the payload decode that
// follows does it (and decodeOpLine falls back on any failure).
func scanLine(raw []byte) (l Line, ok bool) {
	p := raw
	if p, ok = lit(p, `{"op":"`); !ok {
		return l, false
	}
	switch {
	case bytes.HasPrefix(p, []byte(`put"`)):
		l.Op, p = OpPut, p[4:]
	case bytes.HasPrefix(p, []byte(`del"`)):
		l.Op, p = OpDel, p[4:]
	default:
		return l, false
	}
	if p, ok = lit(p, `,"t":`); !ok {
		return l, false
	}
	if l.T, p, ok = typeName(p); !ok {
		return l, false
	}
	if p, ok = lit(p, `,"id":`); !ok {
		return l, false
	}
	if l.ID, p, ok = plainString(p); !ok {
		return l, false
	}
	if p, ok = lit(p, `,"ver":`); !ok {
		return l, false
	}
	if l.Ver, p, ok = plainInt(p); !ok {
		return l, false
	}
	if p, ok = lit(p, `,"seq":`); !ok {
		return l, false
	}
	if l.Seq, p, ok = plainInt(p); !ok {
		return l, false
	}
	if l.Op == OpDel {
		if len(p) > 0 && p[0] == ',' {
			if p, ok = lit(p, `,"why":`); !ok {
				return l, false
			}
			if l.Why, p, ok = plainString(p); !ok {
				return l, false
			}
		}
		return l, len(p) == 1 && p[0] == '}'
	}
	if p, ok = lit(p, `,"d":{`); !ok {
		return l, false
	}
	// "d" is the last key: the payload runs to the closing brace of the
	// line. Whether it is one JSON object is for its own decode to say.
	if len(p) < 2 || p[len(p)-1] != '}' || p[len(p)-2] != '}' {
		return l, false
	}
	l.D = raw[len(raw)-len(p)-1 : len(raw)-1]
	return l, true
}

// fastChange decodes a canonical op line of a known type to its change;
// ok=false sends the line to the general decoder.
func fastChange(raw []byte) (Line, credit.Change, bool) {
	l, ok := scanLine(raw)
	if !ok || !knownType(l.T) {
		return l, credit.Change{}, false
	}
	c, err := changeFromLine(l)
	return l, c, err == nil
}

func lit(p []byte, s string) ([]byte, bool) {
	if len(p) < len(s) || string(p[:len(s)]) != s {
		return p, false
	}
	return p[len(s):], true
}

// plainString reads a JSON string of printable ASCII without escapes.
func plainString(p []byte) (string, []byte, bool) {
	b, rest, ok := plainBytes(p)
	return string(b), rest, ok
}

// plainBytes is plainString without the copy: the string's bytes, a
// sub-slice of p.
func plainBytes(p []byte) ([]byte, []byte, bool) {
	if len(p) == 0 || p[0] != '"' {
		return nil, p, false
	}
	for i := 1; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			return p[1:i], p[i+1:], true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return nil, p, false
		}
	}
	return nil, p, false
}

// typeName reads the op line's "t": the known types as their constants
// (no allocation per line), any other as a new string.
func typeName(p []byte) (string, []byte, bool) {
	b, rest, ok := plainBytes(p)
	if !ok {
		return "", p, false
	}
	for _, t := range [...]credit.ChangeType{credit.TypeSubject, credit.TypeRecord, credit.TypeApplicationStatus, credit.TypeInquiry} {
		if string(b) == string(t) {
			return string(t), rest, true
		}
	}
	return string(b), rest, true
}

// plainInt reads a non-negative decimal integer without leading zeros, of
// at most 18 digits (so it cannot overflow int64).
func plainInt(p []byte) (int64, []byte, bool) {
	i := 0
	for i < len(p) && i <= 18 && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	if i == 0 || i > 18 || (i > 1 && p[0] == '0') {
		return 0, p, false
	}
	n, err := strconv.ParseInt(string(p[:i]), 10, 64)
	if err != nil {
		return 0, p, false
	}
	return n, p[i:], true
}

package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// EncodeStored writes one op line whose "d" the caller vouches for: compact
// JSON exactly as json.Marshal wrote it (the platform stores every body so,
// at write time, and serves it as it is). The line is then assembled by
// hand instead of through json.Marshal, which would scan and re-compact
// the payload of every line; the bytes are the same as Encode's
// (TestEncodeStoredSameBytes, FuzzEncodeStored). A payload that is not one
// brace-delimited object on one line, or a line with strings that need
// escaping, goes through Encode.
func (e *PageEncoder) EncodeStored(l Line) error {
	if e.ended {
		return errors.New("protocol: encode after end of page")
	}
	if l.Op != OpPut || !storedObject(l.D) || !plainASCII(l.T) || !plainASCII(l.ID) || !plainASCII(l.Why) {
		return e.Encode(l)
	}
	b := e.buf[:0]
	b = append(b, `{"op":"put","t":"`...)
	b = append(b, l.T...)
	b = append(b, `","id":"`...)
	b = append(b, l.ID...)
	b = append(b, `","ver":`...)
	b = strconv.AppendInt(b, l.Ver, 10)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, l.Seq, 10)
	b = append(b, `,"d":`...)
	b = append(b, l.D...)
	if l.Why != "" {
		b = append(b, `,"why":"`...)
		b = append(b, l.Why...)
		b = append(b, '"')
	}
	b = append(b, "}\n"...)
	e.buf = b
	e.h.Write(b)
	e.n++
	if _, err := e.w.Write(b); err != nil {
		return fmt.Errorf("protocol: write page: %w", err)
	}
	return nil
}

// storedObject reports whether d looks like one compact JSON object on
// one line: framing an NDJSON line cannot break.
func storedObject(d []byte) bool {
	return len(d) >= 2 && d[0] == '{' && d[len(d)-1] == '}' && bytes.IndexByte(d, '\n') < 0
}

// plainASCII reports whether json.Marshal writes s as it is between
// quotes: printable ASCII without quote, backslash or the HTML characters
// it escapes.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

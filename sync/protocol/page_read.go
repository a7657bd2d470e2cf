package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// The read side of a page split from its decode, so that a client can
// read a page whole (within its request), learn from the trailer which
// page to ask for next, and decode and verify it on another goroutine
// meanwhile (syncclient's snapshot pipeline).

// ReadPage reads a whole page from r into buf (reused from its start,
// grown as needed) and returns it. A page over maxBytes (MaxPageBytes if
// maxBytes <= 0) is refused with ErrMalformedPage; a read error is
// returned wrapped as it is, with what was read so far discarded.
func ReadPage(r io.Reader, maxBytes int64, buf []byte) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = MaxPageBytes
	}
	b := buf[:0]
	lr := io.LimitReader(r, maxBytes+1)
	for {
		if len(b) == cap(b) { // double (from 32 KiB): ≈ 2× the page allocated in all
			nb := make([]byte, len(b), max(2*cap(b), 32<<10))
			copy(nb, b)
			b = nb
		}
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("protocol: read page: %w", err)
		}
	}
	if int64(len(b)) > maxBytes {
		return nil, malformed("page exceeds %d bytes", maxBytes)
	}
	return b, nil
}

// DecodePageBytes is DecodePage of a page already read whole. The page
// keeps no reference to body: every string and payload is copied, so the
// caller may reuse body once it returns.
func DecodePageBytes(body []byte, maxBytes int64) (*Page, error) {
	if maxBytes <= 0 {
		maxBytes = MaxPageBytes
	}
	if int64(len(body)) > maxBytes {
		return nil, malformed("page exceeds %d bytes", maxBytes)
	}
	return decodePage(body)
}

// PeekTrailer parses the last line of body as a page trailer, without
// verifying anything: it is only a hint of the page that follows (its
// token and after key), to ask for that page early. ok is false when the
// last line is not a trailer. A client applies nothing on the strength
// of it: the page is decoded and verified as always, and the next page
// is taken only when it was asked for with the verified page's keys.
func PeekTrailer(body []byte) (t Trailer, ok bool) {
	if len(body) < 2 || body[len(body)-1] != '\n' {
		return t, false
	}
	line := body[:len(body)-1]
	line = line[bytes.LastIndexByte(line, '\n')+1:]
	if len(line) > MaxLineBytes || json.Unmarshal(line, &t) != nil || t.Op != OpEnd {
		return Trailer{}, false
	}
	return t, true
}

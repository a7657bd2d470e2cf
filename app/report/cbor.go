package report

// A tiny deterministic CBOR (RFC 8949) codec for the handful of types the
// signed payload uses: unsigned and negative integers, byte and text
// strings, arrays, maps and tags. The encoder writes core deterministic
// encoding (§4.2.1: shortest heads, definite lengths, sorted map keys); the
// decoder accepts only that, so every payload has exactly one encoding.

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// CBOR major types.
const (
	majUint  = 0
	majNeg   = 1
	majBytes = 2
	majText  = 3
	majArray = 4
	majMap   = 5
	majTag   = 6
)

// cborEnc appends CBOR items to a buffer.
type cborEnc struct{ b []byte }

func (e *cborEnc) head(major byte, n uint64) {
	m := major << 5
	switch {
	case n < 24:
		e.b = append(e.b, m|byte(n))
	case n <= 0xFF:
		e.b = append(e.b, m|24, byte(n))
	case n <= 0xFFFF:
		e.b = append(e.b, m|25, byte(n>>8), byte(n))
	case n <= 0xFFFFFFFF:
		e.b = append(e.b, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	default:
		e.b = append(e.b, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func (e *cborEnc) uint(n uint64) { e.head(majUint, n) }

func (e *cborEnc) int(n int64) {
	if n >= 0 {
		e.head(majUint, uint64(n))
		return
	}
	e.head(majNeg, uint64(-(n + 1)))
}

func (e *cborEnc) bytes(b []byte) { e.head(majBytes, uint64(len(b))); e.b = append(e.b, b...) }
func (e *cborEnc) text(s string)  { e.head(majText, uint64(len(s))); e.b = append(e.b, s...) }
func (e *cborEnc) array(n int)    { e.head(majArray, uint64(n)) }
func (e *cborEnc) mapHead(n int)  { e.head(majMap, uint64(n)) }
func (e *cborEnc) tag(n uint64)   { e.head(majTag, n) }

// cborMap is a decoded map with its keys in encoded order.
type cborMap []cborPair

// cborPair is one map entry.
type cborPair struct{ k, v any }

// cborTag is a decoded tag and its content.
type cborTag struct {
	num uint64
	v   any
}

// int returns the value under integer key k.
func (m cborMap) int(k int64) (any, bool) {
	for _, p := range m {
		switch kv := p.k.(type) {
		case uint64:
			if k >= 0 && kv == uint64(k) {
				return p.v, true
			}
		case int64:
			if kv == k {
				return p.v, true
			}
		}
	}
	return nil, false
}

// errCBOR is wrapped by every decoding error.
var errCBOR = errors.New("invalid cbor")

const maxCBORDepth = 8

// cborDecode decodes exactly one item from b; trailing bytes are an error.
// Decoded values are uint64, int64 (negative), []byte, string, []any,
// cborMap and cborTag.
func cborDecode(b []byte) (any, error) {
	d := cborDec{b: b}
	v, err := d.item(0)
	if err != nil {
		return nil, err
	}
	if d.off != len(b) {
		return nil, fmt.Errorf("%w: %d trailing bytes", errCBOR, len(b)-d.off)
	}
	return v, nil
}

type cborDec struct {
	b   []byte
	off int
}

func (d *cborDec) head() (major byte, n uint64, err error) {
	if d.off >= len(d.b) {
		return 0, 0, fmt.Errorf("%w: unexpected end at offset %d", errCBOR, d.off)
	}
	ib := d.b[d.off]
	d.off++
	major, ai := ib>>5, ib&0x1F
	var size int
	switch {
	case ai < 24:
		return major, uint64(ai), nil
	case ai == 24:
		size = 1
	case ai == 25:
		size = 2
	case ai == 26:
		size = 4
	case ai == 27:
		size = 8
	default:
		return 0, 0, fmt.Errorf("%w: indefinite length or reserved value at offset %d", errCBOR, d.off-1)
	}
	if len(d.b)-d.off < size {
		return 0, 0, fmt.Errorf("%w: truncated head at offset %d", errCBOR, d.off-1)
	}
	for _, c := range d.b[d.off : d.off+size] {
		n = n<<8 | uint64(c)
	}
	d.off += size
	// Core deterministic encoding: the shortest head only.
	if (size == 1 && n < 24) || (size == 2 && n <= 0xFF) || (size == 4 && n <= 0xFFFF) || (size == 8 && n <= 0xFFFFFFFF) {
		return 0, 0, fmt.Errorf("%w: non-shortest integer at offset %d", errCBOR, d.off-size-1)
	}
	return major, n, nil
}

func (d *cborDec) item(depth int) (any, error) {
	if depth > maxCBORDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", errCBOR, maxCBORDepth)
	}
	start := d.off
	major, n, err := d.head()
	if err != nil {
		return nil, err
	}
	switch major {
	case majUint:
		return n, nil
	case majNeg:
		if n > 1<<63-1 {
			return nil, fmt.Errorf("%w: negative integer out of range at offset %d", errCBOR, start)
		}
		return -1 - int64(n), nil
	case majBytes, majText:
		if n > uint64(len(d.b)-d.off) {
			return nil, fmt.Errorf("%w: string of %d bytes overruns the input at offset %d", errCBOR, n, start)
		}
		s := d.b[d.off : d.off+int(n)]
		d.off += int(n)
		if major == majBytes {
			return bytes.Clone(s), nil
		}
		if !utf8.Valid(s) {
			return nil, fmt.Errorf("%w: text string is not UTF-8 at offset %d", errCBOR, start)
		}
		return string(s), nil
	case majArray:
		if n > uint64(len(d.b)-d.off) { // every item takes at least one byte
			return nil, fmt.Errorf("%w: array of %d items overruns the input at offset %d", errCBOR, n, start)
		}
		arr := make([]any, 0, n)
		for range n {
			v, err := d.item(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case majMap:
		if n > uint64(len(d.b)-d.off)/2 {
			return nil, fmt.Errorf("%w: map of %d entries overruns the input at offset %d", errCBOR, n, start)
		}
		m := make(cborMap, 0, n)
		var prevKey []byte
		for i := range n {
			ks := d.off
			k, err := d.item(depth + 1)
			if err != nil {
				return nil, err
			}
			switch k.(type) {
			case uint64, int64, string:
			default:
				return nil, fmt.Errorf("%w: map key of unsupported type at offset %d", errCBOR, ks)
			}
			key := d.b[ks:d.off]
			if i > 0 && bytes.Compare(prevKey, key) >= 0 {
				return nil, fmt.Errorf("%w: map keys not in deterministic order or duplicated at offset %d", errCBOR, ks)
			}
			prevKey = key
			v, err := d.item(depth + 1)
			if err != nil {
				return nil, err
			}
			m = append(m, cborPair{k, v})
		}
		return m, nil
	case majTag:
		v, err := d.item(depth + 1)
		if err != nil {
			return nil, err
		}
		return cborTag{n, v}, nil
	}
	return nil, fmt.Errorf("%w: major type 7 (float/simple) not supported at offset %d", errCBOR, start)
}

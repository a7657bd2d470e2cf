package report

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestCBOREncodeDeterministic(t *testing.T) {
	tests := []struct {
		name string
		enc  func(*cborEnc)
		hex  string
	}{
		{"uint 0", func(e *cborEnc) { e.uint(0) }, "00"},
		{"uint 23", func(e *cborEnc) { e.uint(23) }, "17"},
		{"uint 24", func(e *cborEnc) { e.uint(24) }, "1818"},
		{"uint 1000", func(e *cborEnc) { e.uint(1000) }, "1903e8"},
		{"uint 1e6", func(e *cborEnc) { e.uint(1000000) }, "1a000f4240"},
		{"uint 2^32", func(e *cborEnc) { e.uint(1 << 32) }, "1b0000000100000000"},
		{"int -8", func(e *cborEnc) { e.int(-8) }, "27"},
		{"int -1000", func(e *cborEnc) { e.int(-1000) }, "3903e7"},
		{"text", func(e *cborEnc) { e.text("IETF") }, "6449455446"},
		{"bytes", func(e *cborEnc) { e.bytes([]byte{1, 2, 3, 4}) }, "4401020304"},
		{"protected header", func(e *cborEnc) { e.b = protectedHeader([8]byte{1, 2, 3, 4, 5, 6, 7, 8}) }, "a201270448" + "0102030405060708"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e cborEnc
			tt.enc(&e)
			if got := hex.EncodeToString(e.b); got != tt.hex {
				t.Errorf("got %s, want %s", got, tt.hex)
			}
			if _, err := cborDecode(e.b); err != nil {
				t.Errorf("decoder rejects the encoder's output: %v", err)
			}
		})
	}
}

func TestCBORClaimsStable(t *testing.T) {
	r := fixtureReport(t)
	a, b := r.Claims(2, 3600e9).marshal(), r.Claims(2, 3600e9).marshal()
	if !bytes.Equal(a, b) {
		t.Fatal("same claims, different bytes")
	}
	c, err := unmarshalClaims(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.marshal(), a) {
		t.Fatal("claims do not round-trip byte for byte")
	}
}

func TestCBORDecodeRejects(t *testing.T) {
	tests := []struct{ name, hex string }{
		{"empty", ""},
		{"non-shortest uint", "1817"},
		{"non-shortest 2-byte", "190017"},
		{"indefinite array", "9f01ff"},
		{"float", "f93c00"},
		{"trailing bytes", "0000"},
		{"truncated string", "6449"},
		{"huge array", "9b00000000ffffffff"},
		{"unsorted map", "a20200 0100"},
		{"duplicate key", "a201000100"},
		{"bytes as key", "a1410100"},
		{"invalid utf-8", "62c328"},
		{"too deep", "81818181818181818181818100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hex.DecodeString(stripSpaces(tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			if v, err := cborDecode(b); err == nil {
				t.Fatalf("decoded %#v, want an error", v)
			}
		})
	}
}

func stripSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

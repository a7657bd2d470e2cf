package report

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func TestBase45Vectors(t *testing.T) {
	tests := []struct{ in, out string }{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
		{"\xff\xff", "FGW"},
		{"\x00", "00"},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			if got := Base45Encode([]byte(tt.in)); got != tt.out {
				t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.out)
			}
			got, err := Base45Decode(tt.out)
			if err != nil || string(got) != tt.in {
				t.Errorf("Decode(%q) = %q, %v; want %q", tt.out, got, err, tt.in)
			}
		})
	}
}

func TestBase45Rejects(t *testing.T) {
	for _, in := range []string{
		"GGW",    // 65536+ in a triplet
		"BB8A",   // lone trailing character
		"A",      // lone character
		"bb8",    // lower case
		"BB8\n",  // newline
		"%69_VD", // underscore
		"ZZ",     // final pair > 255
		"BB\xff", // non-ASCII byte
	} {
		t.Run(in, func(t *testing.T) {
			got, err := Base45Decode(in)
			if err == nil {
				t.Fatalf("Decode(%q) = %x, want an error", in, got)
			}
			if !errors.Is(err, ErrBase45) {
				t.Errorf("error %v does not wrap ErrBase45", err)
			}
		})
	}
}

func TestBase45RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 600; n += 7 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		s := Base45Encode(b)
		if !isAlphanumeric(s) && n > 0 {
			t.Fatalf("encoding of %d bytes leaves the QR alphanumeric set", n)
		}
		got, err := Base45Decode(s)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %d bytes failed: %v", n, err)
		}
	}
}

func FuzzBase45Decode(f *testing.F) {
	for _, s := range []string{"BB8", "%69 VD92EX0", "UJCLQE7W581", "QED8WEX0", "GGW", "A", "bb8", "::::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Base45Decode(s)
		if err != nil {
			return
		}
		if back := Base45Encode(b); back != s {
			t.Fatalf("decode(%q) re-encodes as %q: two encodings for one value", s, back)
		}
	})
}

package idcard

import (
	"bytes"
	"errors"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// frameSeeds are the design vectors of §1.3 plus damaged variants.
var frameSeeds = []string{
	"AAAAAA9669000400009094",
	"AAAAAA9669000400006064",
	"AAAAAA966900080000 9F0000000097",
	"AAAAAA9669000400008084",
	"AAAAAA9669000400008185",
	"AAAAAA9669000400004145",
	"AAAAAA9669000C0000900000000000000000 9C",
	"AAAAAA9669000400009095",     // bad checksum
	"AAAAAA96690004000090",       // truncated
	"00AAAAAAAA9669000400009094", // garbage first
	"AAAAAA9669FFFF",             // impossible length
	"AAAAAA9669000310FFEC",       // a request
	"AAAAAA9669000461FF50CA",     // a request with data
}

// FuzzDecodeFrame checks that neither the whole-frame decoder nor the
// stream scanner panics, that the scanner never consumes more than it is
// given, and that whatever decodes re-encodes to the same bytes.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range frameSeeds {
		f.Add(unhex(f, s))
	}
	text, _ := EncodeText(demoCard)
	f.Add(readFrame(text, make([]byte, PhotoLen)))
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := DecodeResponse(b); err == nil {
			if !bytes.Equal(EncodeResponse(r.SW1, r.SW2, r.SW3, r.Data), b) {
				t.Fatalf("re-encode differs for % X", b)
			}
			_ = r.Err()
			if r.SW3 == SW3OK {
				_, _ = textOf(CmdRead, r.Data)
				_, _ = textOf(CmdReadFull, r.Data)
			}
		} else if credit.ErrorCode(err) != credit.EDEVICE {
			t.Fatalf("error %v is not a device error", err)
		}
		if q, err := DecodeRequest(b); err == nil {
			if !bytes.Equal(EncodeRequest(q.Command, q.Data), b) {
				t.Fatalf("request re-encode differs for % X", b)
			}
		}
		rest := b
		for len(rest) > 0 {
			_, n, ok, err := NextResponse(rest)
			if n < 0 || n > len(rest) {
				t.Fatalf("consumed %d of %d", n, len(rest))
			}
			if err != nil && !errors.Is(err, ErrChecksum) {
				t.Fatalf("scanner error %v", err)
			}
			if n == 0 && !ok && err == nil {
				break // waiting for more input
			}
			rest = rest[n:]
		}
	})
}

// FuzzParseText checks that any 256-byte block parses without panicking
// and that a parsed card re-encodes (when it fits) to a block that parses
// to the same card.
func FuzzParseText(f *testing.F) {
	for _, c := range []credit.IDCard{
		demoCard,
		{Kind: credit.CardGAT, Name: "陈大文", Number: "810000199001010019"},
		{Kind: credit.CardForeign2017, Name: "SMITH, JOHN", Number: "USA110099120001"},
		{Kind: credit.CardForeign2023, Name: "ALEXANDRA VANDERBILT-MONTGOMERY JR.", Number: "911840198512010013"},
	} {
		b, err := EncodeText(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(make([]byte, TextLen))
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseText(b)
		if err != nil {
			if len(b) == TextLen {
				t.Fatalf("256 bytes rejected: %v", err)
			}
			return
		}
		_, _ = CheckCard(c)
		re, err := EncodeText(c)
		if err != nil {
			return // e.g. a lone surrogate became U+FFFD and no longer fits
		}
		c2, err := ParseText(re)
		if err != nil || c2 != c {
			t.Fatalf("re-parse = %+v, %v; want %+v", c2, err, c)
		}
	})
}

func BenchmarkDecodeReadResponse(b *testing.B) {
	text, _ := EncodeText(demoCard)
	frame := readFrame(text, bytes.Repeat([]byte{0x5A}, PhotoLen))
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		r, n, ok, err := NextResponse(frame)
		if err != nil || !ok || n != len(frame) || r.SW3 != SW3OK {
			b.Fatal(n, ok, err)
		}
	}
}

func BenchmarkEncodeRequest(b *testing.B) {
	buf := make([]byte, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendRequest(buf[:0], CmdRead, nil)
	}
}

func BenchmarkParseText(b *testing.B) {
	text, _ := EncodeText(demoCard)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseText(text); err != nil {
			b.Fatal(err)
		}
	}
}

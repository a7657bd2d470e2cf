package syncserver

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/synth"
	"github.com/klauspost/compress/zstd"
)

func TestAcceptedEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"zstd, gzip": "zstd", "gzip": "gzip", "": "", "br": "", "GZIP;q=0.5": "gzip",
		"zstd;q=0, gzip": "gzip", "zstd; q=0": "", "identity": "", " gzip , deflate": "gzip",
	} {
		if got := acceptedEncoding(in); got != want {
			t.Errorf("acceptedEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompressRoundTrip(t *testing.T) {
	page, err := protocol.EncodePage(nil, "C", false, t0)
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	for _, enc := range []string{"zstd", "gzip", ""} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", enc)
		body, got := compress(r, page)
		if got != enc {
			t.Fatalf("%q: encoded as %q", enc, got)
		}
		var plain []byte
		switch enc {
		case "zstd":
			plain, err = dec.DecodeAll(body, nil)
		case "gzip":
			var z *gzip.Reader
			if z, err = gzip.NewReader(bytes.NewReader(body)); err == nil {
				plain, err = io.ReadAll(z)
			}
		default:
			plain = body
		}
		if err != nil || !bytes.Equal(plain, page) {
			t.Errorf("%q: round trip %v", enc, err)
		}
	}
}

// delta10k is a delta of 10,000 changes: 9,000 record puts and 1,000
// tombstones, as one page.
func delta10k(tb testing.TB) []byte {
	tb.Helper()
	ds := synth.Generate(11, 6000)
	if len(ds.Records) < 10000 {
		tb.Fatalf("only %d records", len(ds.Records))
	}
	var cs []credit.Change
	for i := range 10000 {
		r := ds.Records[i]
		c := credit.Change{Seq: int64(i + 1), Type: credit.TypeRecord, ID: r.ID, Version: 2}
		if i%10 == 9 {
			c.Op, c.Reason = credit.OpDel, "withdrawn"
		} else {
			c.Op, c.Record = credit.OpPut, &r
		}
		cs = append(cs, c)
	}
	page, err := protocol.EncodePage(cs, "CURSOR", false, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return page
}

// BenchmarkDeltaWire reports the bytes on the wire of a 10,000-change
// delta with 1,000 tombstones, plain NDJSON against zstd and gzip.
func BenchmarkDeltaWire(b *testing.B) {
	page := delta10k(b)
	for _, enc := range []string{"zstd", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Encoding", enc)
			var n int
			for b.Loop() {
				body, _ := compress(r, page)
				n = len(body)
			}
			b.ReportMetric(float64(len(page)), "plain-bytes")
			b.ReportMetric(float64(n), "wire-bytes")
			b.ReportMetric(100*float64(n)/float64(len(page)), "%-of-plain")
		})
	}
}

func TestDeltaWireUnderQuarter(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-change page")
	}
	page := delta10k(t)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "zstd, gzip")
	body, _ := compress(r, page)
	if ratio := float64(len(body)) / float64(len(page)); ratio > 0.25 {
		t.Errorf("zstd page is %.1f%% of plain (%d of %d bytes), want ≤ 25%%", 100*ratio, len(body), len(page))
	} else {
		t.Logf("plain %d bytes, zstd %d bytes (%.1f%%)", len(page), len(body), 100*ratio)
	}
}

func FuzzAcceptedEncoding(f *testing.F) {
	for _, s := range []string{"zstd, gzip", "gzip;q=0", "", ",,;", "ZSTD ; q=0.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch acceptedEncoding(s) {
		case "", "zstd", "gzip":
		default:
			t.Fatalf("acceptedEncoding(%q) chose an unknown coding", s)
		}
	})
}

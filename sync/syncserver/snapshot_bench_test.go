package syncserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/synth"
	"github.com/klauspost/compress/zstd"
)

// BenchmarkSnapshotServe pages a whole snapshot (pages of 5,000, zstd)
// from an httptest server on 127.0.0.1 through a client that decodes
// each page as syncclient does, one page after the other (without the
// client's own prefetch). mmap is Options.MmapSize on the read pool,
// read-ahead Options.NoReadAhead negated. The platform is synth seed 11 with
// CREDIT_SNAPSHOT_BENCH_N subjects (default 3,000, ≈ 8,000 rows, seeded
// once per run), or the database in CREDIT_SNAPSHOT_BENCH_DB (a COPY:
// Open upgrades it in place), of which CREDIT_SNAPSHOT_BENCH_PAGES pages
// are read (default all). Reports wire bytes and rows per op.
func BenchmarkSnapshotServe(b *testing.B) {
	if testing.Short() {
		b.Skip("snapshot benchmark: skipped under -short")
	}
	path := os.Getenv("CREDIT_SNAPSHOT_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "server.db")
		n, err := strconv.Atoi(os.Getenv("CREDIT_SNAPSHOT_BENCH_N"))
		if err != nil || n < 1 {
			n = 3000
		}
		s, err := Open(b.Context(), path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		ds := synth.Generate(11, n)
		err = s.PutSubjects(b.Context(), ds.Subjects, ds.Records)
		s.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	pages, _ := strconv.Atoi(os.Getenv("CREDIT_SNAPSHOT_BENCH_PAGES"))
	for _, v := range []struct{ mmap, ahead bool }{{false, false}, {true, false}, {true, true}} {
		b.Run(fmt.Sprintf("mmap=%v/read-ahead=%v", v.mmap, v.ahead), func(b *testing.B) {
			mmap := int64(-1)
			if v.mmap {
				mmap = 0
			}
			s, err := Open(b.Context(), path, Options{PageLimit: protocol.MaxPageLimit, MmapSize: mmap, NoReadAhead: !v.ahead,
				Devices: map[string]string{"bench": "bench-device"}})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			hs := httptest.NewServer(s.Handler())
			defer hs.Close()
			dec, _ := zstd.NewReader(nil, zstd.WithDecoderMaxWindow(8<<20), zstd.WithDecoderMaxMemory(64<<20))
			defer dec.Close()
			var wire, rows int64
			b.ResetTimer()
			for range b.N {
				w, n := pageSnapshot(b, hs.URL, dec, pages)
				wire, rows = wire+w, rows+n
			}
			b.ReportMetric(float64(wire)/float64(b.N), "wire-B/op")
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
		})
	}
}

// pageSnapshot reads a snapshot page after page (at most maxPages when
// > 0) and returns the bytes on the wire and the rows.
func pageSnapshot(b *testing.B, base string, dec *zstd.Decoder, maxPages int) (wire, rows int64) {
	token, after := "", ""
	for i := 0; maxPages <= 0 || i < maxPages; i++ {
		q := url.Values{"limit": {strconv.Itoa(protocol.MaxPageLimit)}}
		if token != "" {
			q.Set("token", token)
			q.Set("after", after)
		}
		req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, base+protocol.PathSnapshot+"?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer bench")
		req.Header.Set("Accept-Encoding", "zstd")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("snapshot page: %d %v %.200s", resp.StatusCode, err, body)
		}
		wire += int64(len(body))
		if body, err = dec.DecodeAll(body, nil); err != nil {
			b.Fatal(err)
		}
		p, err := protocol.DecodePage(bytes.NewReader(body), 0)
		if err != nil {
			b.Fatal(err)
		}
		rows += int64(len(p.Changes))
		if !p.More {
			break
		}
		token, after = p.Token, p.After
	}
	return wire, rows
}

// BenchmarkZstdLevels compresses the 10,000-change delta page (≈ 5 MB of
// NDJSON, mostly record puts, as a snapshot page of records) at each
// encoder level with the server's window: CPU per page and wire bytes.
func BenchmarkZstdLevels(b *testing.B) {
	page := delta10k(b)
	for _, lvl := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression} {
		b.Run(lvl.String(), func(b *testing.B) {
			enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(lvl), zstd.WithWindowSize(zstdWindow), zstd.WithEncoderConcurrency(1))
			var n int
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				n = len(enc.EncodeAll(page, nil))
			}
			b.ReportMetric(float64(n), "wire-bytes")
			b.ReportMetric(100*float64(n)/float64(len(page)), "%-of-plain")
		})
	}
}

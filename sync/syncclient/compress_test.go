package syncclient

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/klauspost/compress/zstd"
)

// The client asks for zstd, the server sends it, and the client decodes
// it by itself.
func TestPagesTravelCompressed(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 50)
	var mu sync.Mutex
	var encodings []string
	var wire int
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if r.URL.Path == protocol.PathChanges {
			mu.Lock()
			encodings = append(encodings, r.Header.Get("Accept-Encoding")+"→"+rec.Header().Get("Content-Encoding"))
			wire += rec.Body.Len()
			mu.Unlock()
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	res, err := f.client(nil).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, records := f.store.snapshot(); records != 50 || res.Applied != 100 {
		t.Fatalf("applied %d, %d records", res.Applied, records)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(encodings) == 0 || encodings[0] != "zstd, gzip→zstd" {
		t.Errorf("encodings %v", encodings)
	}
	if int64(wire)*2 > res.Bytes {
		t.Errorf("wire %d bytes for %d decoded: not compressed", wire, res.Bytes)
	}
}

func zstdBytes(tb testing.TB, b []byte) []byte {
	tb.Helper()
	e, err := zstd.NewWriter(nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer e.Close()
	return e.EncodeAll(b, nil)
}

func gzipBytes(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	z.Write(b)
	z.Close()
	return buf.Bytes()
}

// A decompression bomb, a corrupt frame or an unknown coding is refused
// with a clear error and nothing is applied.
func TestCompressedBodiesRefused(t *testing.T) {
	// 4 MiB of a valid-looking line, four times the page cap once decoded.
	bomb := bytes.Repeat([]byte(`{"op":"del","t":"record","id":"R0","seq":1}`+"\n"), (4<<20)/44)
	tests := []struct {
		name, encoding string
		body           func(t *testing.T) []byte
		code, detail   string
	}{
		{"zstd bomb", "zstd", func(t *testing.T) []byte { return zstdBytes(t, bomb) }, credit.EINVALID, "exceeds"},
		{"gzip bomb", "gzip", func(t *testing.T) []byte { return gzipBytes(t, bomb) }, credit.EINVALID, "exceeds"},
		{"corrupt zstd", "zstd", func(t *testing.T) []byte {
			b := zstdBytes(t, bomb[:1<<16])
			return append(b[:8], bytes.Repeat([]byte{0xff}, 64)...)
		}, credit.EUNAVAILABLE, ""},
		{"not gzip", "gzip", func(*testing.T) []byte { return []byte("plain") }, credit.EUNAVAILABLE, ""},
		{"unknown coding", "br", func(*testing.T) []byte { return []byte("x") }, credit.EINVALID, "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			seed(t, f.srv, 2)
			if _, err := f.client(nil).SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := f.srv.WithdrawRecord(t.Context(), "R1", "withdrawn"); err != nil {
				t.Fatal(err)
			}
			before, pages, records := f.store.snapshot()
			body := tt.body(t)
			f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				if r.URL.Path != protocol.PathChanges {
					next.ServeHTTP(w, r)
					return
				}
				w.Header().Set("Content-Type", protocol.ContentTypeNDJSON)
				w.Header().Set("Content-Encoding", tt.encoding)
				w.Write(body)
			})
			_, err := f.client(func(c *Config) { c.RetryMax, c.MaxPageBytes = -1, 1<<20 }).SyncOnce(t.Context())
			if credit.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("err = %v, want code %s with %q", err, tt.code, tt.detail)
			}
			if tt.code == credit.EINVALID && !strings.Contains(credit.ErrorMessageEN(err), "not applied") {
				t.Errorf("message %q", credit.ErrorMessageEN(err))
			}
			after, pagesAfter, recordsAfter := f.store.snapshot()
			if after != before || pagesAfter != pages || recordsAfter != records {
				t.Errorf("something was applied")
			}
		})
	}
}

// FuzzDecodedBody: any body under any coding either decodes to at most
// the cap or fails with an error; it never panics or grows without bound.
func FuzzDecodedBody(f *testing.F) {
	plain := []byte(`{"op":"end","next":"c","n":0}` + "\n")
	f.Add("zstd", zstdBytes(f, plain))
	f.Add("gzip", gzipBytes(f, plain))
	f.Add("", plain)
	f.Add("br", plain)
	f.Add("zstd", []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0x58})
	f.Fuzz(func(t *testing.T, enc string, body []byte) {
		r, release, err := decodedBody(bytes.NewReader(body), enc)
		if err != nil {
			return
		}
		defer release()
		p, err := protocol.DecodePage(r, 1<<16)
		if err == nil && p.Size > 1<<16 {
			t.Fatalf("page of %d bytes accepted over the cap", p.Size)
		}
	})
}

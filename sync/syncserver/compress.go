package syncserver

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/klauspost/compress/zstd"
)

// zstdWindow is the encoder window: well under the 8 MiB RFC 9659 allows
// for HTTP, so that a client may cap its decoder window there.
const zstdWindow = 1 << 20

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
)

// zstdEncoder returns the shared encoder (EncodeAll is safe for
// concurrent use). It encodes as many pages at once as there are
// processors: with one encoder every pull's page waited for the one being
// compressed, a snapshot page of 5,000 records (≈ 13 ms) included.
//
// SpeedDefault for every page, snapshot pages too: SpeedFastest took
// ≈ 20 % less CPU for a 4.4 MB page of records (10.5 against 13.1 ms) but
// sent 11.5 % more bytes (BenchmarkZstdLevels). Over the 1M bootstrap that
// is ≈ 0.4 CPU-s of ≈ 25, while a county kiosk bootstrapping over a slow
// link pays the bytes in time; and the snapshot read-ahead
// (snapshot_ahead.go) compresses while the device applies.
func zstdEncoder() *zstd.Encoder {
	zstdOnce.Do(func() {
		// Options are constants, so NewWriter cannot fail.
		zstdEnc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithWindowSize(zstdWindow), zstd.WithEncoderConcurrency(max(2, runtime.GOMAXPROCS(0))))
	})
	return zstdEnc
}

// acceptedEncoding picks zstd, then gzip, then identity from an
// Accept-Encoding value; a coding with q=0 is refused.
func acceptedEncoding(v string) string {
	ok := map[string]bool{}
	for part := range strings.SplitSeq(v, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			continue
		}
		ok[strings.ToLower(strings.TrimSpace(name))] = true
	}
	switch {
	case ok["zstd"]:
		return "zstd"
	case ok["gzip"]:
		return "gzip"
	}
	return ""
}

// compress encodes page for the request's Accept-Encoding and returns the
// body and its Content-Encoding ("" for identity).
func compress(r *http.Request, page []byte) ([]byte, string) {
	return compressAs(acceptedEncoding(r.Header.Get("Accept-Encoding")), page)
}

// compressAs encodes page with encoding (acceptedEncoding) and returns
// the body and its Content-Encoding ("" for identity).
func compressAs(encoding string, page []byte) ([]byte, string) {
	switch encoding {
	case "zstd":
		return zstdEncoder().EncodeAll(page, make([]byte, 0, len(page)/4)), "zstd"
	case "gzip":
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(page); err == nil && zw.Close() == nil {
			return buf.Bytes(), "gzip"
		}
	}
	return page, ""
}

// writePage sends an NDJSON page, compressed when the client accepts it.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, page []byte) {
	body, enc := compress(r, page)
	writeBody(w, body, enc)
}

// writeBody sends an NDJSON page body compressed with enc ("" for none).
func writeBody(w http.ResponseWriter, body []byte, enc string) {
	h := w.Header()
	h.Set("Content-Type", protocol.ContentTypeNDJSON)
	h.Add("Vary", "Accept-Encoding")
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

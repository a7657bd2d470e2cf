package syncclient

import (
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/klauspost/compress/zstd"
)

// acceptEncoding is what the client asks for; it decodes by itself, so
// net/http's transparent gzip is off and the size cap applies to the
// decoded bytes.
const acceptEncoding = "zstd, gzip"

// Decoder limits: the zstd window (RFC 9659 allows 8 MiB for HTTP) and the
// memory the decoder may take; the decoded page is capped separately at
// protocol.MaxPageBytes by DecodePage.
const (
	maxZstdWindow = 8 << 20
	maxZstdMemory = 64 << 20
)

// decodedBody returns a reader of the decoded body for a Content-Encoding
// value, and a function to release the decoder.
func decodedBody(body io.Reader, contentEncoding string) (io.Reader, func(), error) {
	switch strings.ToLower(strings.TrimSpace(contentEncoding)) {
	case "", "identity":
		return body, func() {}, nil
	case "zstd":
		d, err := zstd.NewReader(body, zstd.WithDecoderMaxWindow(maxZstdWindow),
			zstd.WithDecoderMaxMemory(maxZstdMemory), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return d, d.Close, nil
	case "gzip":
		z, err := gzip.NewReader(body)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return z, func() { z.Close() }, nil
	}
	return nil, nil, fmt.Errorf("content encoding %q not supported: %w", contentEncoding, protocol.ErrMalformedPage)
}

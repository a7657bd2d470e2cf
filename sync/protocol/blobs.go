package protocol

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Evidence files reach the platform as content-addressed blobs (sync.md
// §2, applications): blobs first, then what references them.
//
//  1. POST /sync/v1/blobs:missing {"sha256":[…]} answers the ones the
//     platform lacks, each with the offset it already holds of a cut
//     upload.
//  2. PUT /sync/v1/blobs/{sha256} with Content-Range "bytes a-b/total"
//     sends one chunk (BlobChunk bytes) at a time; HEAD answers the
//     offset in Upload-Offset. A chunk starting past the offset is
//     refused 409 with the offset; one starting before it (a retry of a
//     chunk the platform kept) is taken from the offset on. When the
//     last byte arrives the platform checks the SHA-256, the size cap and
//     the type by content (PDF, JPEG, PNG only: Art. 18 forbids
//     biometric content) and answers 201 with BlobV1.
//  3. PUT /sync/v1/applications/{uuid}/evidence EvidenceManifestV1 lists
//     the application's files by SHA-256. It is refused 409
//     missing_blobs when a blob is absent, and stored in one
//     transaction otherwise.
//
// Why a manifest and not the application body: the body is frozen when
// the application is queued (its digest is the idempotency fingerprint),
// while the office attaches files after capture. The manifest is a set:
// the platform keeps the union of every manifest sent for an application
// by the device that sent the application, so resending one (a lost
// answer, a file attached later) neither loses nor duplicates a file. The
// device sends the manifest before the application itself in the same
// round, so the officer finds the files with the application.

// Blob endpoint paths.
const (
	PathBlobsMissing = PathPrefix + "/blobs:missing"
	PathBlobs        = PathPrefix + "/blobs/"               // + {sha256}
	PathEvidenceOf   = PathApplications + "{uuid}/evidence" // PUT EvidenceManifestV1 (a mux pattern)
	// PathPlatformEvidence lists an application's evidence for an officer
	// (GET); PathPlatformEvidenceFile serves one file's bytes.
	PathPlatformEvidence     = PlatformPrefix + "/applications/{id}/evidence"
	PathPlatformEvidenceFile = PlatformPrefix + "/applications/{id}/evidence/{sha256}"
)

// HeaderUploadOffset carries how many bytes of a blob the platform holds.
const HeaderUploadOffset = "Upload-Offset"

// CodeMissingBlobs (409): a manifest references a blob the platform does
// not hold. CodeUnsupportedType (415): a blob that is not a PDF, JPEG or
// PNG. CodeOffsetMismatch (409): a chunk that does not start at the
// platform's offset.
const (
	CodeMissingBlobs    = "missing_blobs"
	CodeUnsupportedType = "unsupported_type"
	CodeOffsetMismatch  = "offset_mismatch"
)

// BlobChunk is the size of an upload chunk: 8 s on an 8 KB/s link, well
// inside a request timeout, so a slow link still completes a file.
const BlobChunk = 64 << 10

// BlobsMissingV1 is the body of POST /blobs:missing (SHA256) and of its
// answer (Missing).
type BlobsMissingV1 struct {
	SHA256  []string        `json:"sha256,omitempty"`
	Missing []MissingBlobV1 `json:"missing,omitempty"`
}

// MissingBlobV1 is a blob the platform lacks and the bytes of it it holds.
type MissingBlobV1 struct {
	SHA256 string `json:"sha256"`
	Offset int64  `json:"offset"`
}

// BlobV1 describes a complete blob.
type BlobV1 struct {
	SHA256 string `json:"sha256"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
}

// EvidenceV1 is one file of an application.
type EvidenceV1 struct {
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`
	Type       string    `json:"type,omitempty"`
	Size       int64     `json:"size,omitempty"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
}

// EvidenceManifestV1 lists files of an application (PUT …/evidence), or
// all of them (the officer's GET).
type EvidenceManifestV1 struct {
	ApplicationID string       `json:"application_id,omitempty"`
	Evidence      []EvidenceV1 `json:"evidence"`
}

// EvidenceExtension returns the file extension of an evidence type
// (".bin" for anything else).
func EvidenceExtension(typ string) string {
	switch credit.EvidenceType(typ) {
	case credit.EvidencePDF:
		return ".pdf"
	case credit.EvidenceJPEG:
		return ".jpg"
	case credit.EvidencePNG:
		return ".png"
	}
	return ".bin"
}

// ValidSHA256 reports whether s is a lower-case hex SHA-256.
func ValidSHA256(s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// ContentRange is a byte range of a blob upload: bytes First..Last
// (inclusive) of Total.
type ContentRange struct {
	First, Last, Total int64
}

// Len is the number of bytes in the range.
func (c ContentRange) Len() int64 { return c.Last - c.First + 1 }

// String formats the range as a Content-Range header value.
func (c ContentRange) String() string {
	return fmt.Sprintf("bytes %d-%d/%d", c.First, c.Last, c.Total)
}

var errContentRange = errors.New("protocol: malformed Content-Range")

// ParseContentRange parses "bytes first-last/total" (RFC 9110 §14.4) with
// a known total, 0 ≤ first ≤ last < total ≤ max. Anything else (unknown
// total "*", unsatisfied "*/n", signs, spaces, overflow) is an error.
func ParseContentRange(s string, max int64) (ContentRange, error) {
	rest, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return ContentRange{}, fmt.Errorf("%w: %q", errContentRange, s)
	}
	rng, total, ok := strings.Cut(rest, "/")
	first, last, ok2 := strings.Cut(rng, "-")
	if !ok || !ok2 {
		return ContentRange{}, fmt.Errorf("%w: %q", errContentRange, s)
	}
	var c ContentRange
	for _, f := range []struct {
		s string
		v *int64
	}{{first, &c.First}, {last, &c.Last}, {total, &c.Total}} {
		v, err := parseDigits(f.s)
		if err != nil {
			return ContentRange{}, fmt.Errorf("%w: %q", errContentRange, s)
		}
		*f.v = v
	}
	if c.First > c.Last || c.Last >= c.Total {
		return ContentRange{}, fmt.Errorf("%w: %q: range outside the total", errContentRange, s)
	}
	if c.Total > max {
		return ContentRange{}, fmt.Errorf("%w: %q: total over %d bytes", errContentRange, s, max)
	}
	return c, nil
}

// parseDigits parses a non-negative decimal of at most 18 digits.
func parseDigits(s string) (int64, error) {
	if s == "" || len(s) > 18 {
		return 0, errContentRange
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, errContentRange
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

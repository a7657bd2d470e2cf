// Package protocol is the wire format of the platform sync protocol,
// version 1 (/sync/v1): the change-page NDJSON encoding with its verifying
// trailer, the wire DTOs for subjects, records, application statuses and
// receipts with their conversions to and from the credit domain types, the
// problem+json error body, and the header names both ends use.
//
// The wire types are kept apart from the domain types on purpose: the
// domain may grow or rename fields; the v1 wire format stays frozen, and a
// v2 gets its own types and conversions. Clients ignore unknown fields.
// The package holds no HTTP client or server code.
package protocol

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Version is the protocol version this package speaks.
const Version = 1

// PathPrefix is the URL prefix of every v1 endpoint.
const PathPrefix = "/sync/v1"

// Endpoint paths (relative to the server's base URL).
const (
	PathHello        = PathPrefix + "/hello"
	PathChanges      = PathPrefix + "/changes"
	PathApplications = PathPrefix + "/applications/" // + {uuid}
	PathSnapshot     = PathPrefix + "/snapshot"
	PathAck          = PathPrefix + "/ack"
)

// Header names.
const (
	// HeaderIdempotencyKey carries the application UUID of a PUT
	// (draft-ietf-httpapi-idempotency-key-header; quoted sf-string or bare).
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderContentDigest is RFC 9530's Content-Digest: sha-256=:base64:.
	HeaderContentDigest = "Content-Digest"
	// HeaderProtocol names the protocol version of a request or response.
	HeaderProtocol = "Sync-Protocol"
	// HeaderApplicationKind says whether a PUT body is an objection or a
	// restoration application; objection when absent.
	HeaderApplicationKind = "Application-Kind"
)

// Content types.
const (
	ContentTypeNDJSON  = "application/x-ndjson"
	ContentTypeJSON    = "application/json"
	ContentTypeProblem = "application/problem+json"
)

// Limits.
const (
	// DefaultPageLimit is the number of ops a page holds by default.
	DefaultPageLimit = 500
	// MaxPageLimit is the most ops a server will put on one page.
	MaxPageLimit = 5000
	// MaxPageBytes caps the size of a page a decoder accepts.
	MaxPageBytes = 16 << 20
	// MaxLineBytes caps one NDJSON line.
	MaxLineBytes = 1 << 20
	// MaxApplicationBytes caps an application body.
	MaxApplicationBytes = 64 << 10
	// MaxStalenessHours is how long cached data may be shown as current
	// without a successful catch-up.
	MaxStalenessHours = 72
	// DefaultTombstoneHorizon is how long the server keeps tombstones; a
	// cursor older than that gets 410 and a resync (sync.md Decisions).
	DefaultTombstoneHorizon = 180 * 24 * time.Hour
)

// ContentDigest returns the RFC 9530 Content-Digest field value of body:
// "sha-256=:<base64 of the SHA-256>:".
func ContentDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// ParseContentDigest extracts the SHA-256 from a Content-Digest field
// value. Other algorithms in the list are skipped; a value without
// sha-256 is an error.
func ParseContentDigest(v string) ([]byte, error) {
	if len(v) > 1024 {
		return nil, errors.New("protocol: content-digest: field too long")
	}
	for item := range strings.SplitSeq(v, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || strings.TrimSpace(name) != "sha-256" {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) < 2 || val[0] != ':' || val[len(val)-1] != ':' {
			return nil, fmt.Errorf("protocol: content-digest: sha-256 value %q is not a byte sequence", val)
		}
		sum, err := base64.StdEncoding.DecodeString(val[1 : len(val)-1])
		if err != nil {
			return nil, fmt.Errorf("protocol: content-digest: %w", err)
		}
		if len(sum) != sha256.Size {
			return nil, fmt.Errorf("protocol: content-digest: sha-256 has %d bytes, want %d", len(sum), sha256.Size)
		}
		return sum, nil
	}
	return nil, errors.New("protocol: content-digest: no sha-256 digest")
}

// BodyDigest returns the hex SHA-256 of body, the fingerprint receipts and
// outbox items carry.
func BodyDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// ParseIdempotencyKey strips the sf-string quotes from an Idempotency-Key
// value, accepting a bare token too.
func ParseIdempotencyKey(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

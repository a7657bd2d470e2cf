package protocol

// Device authentication (sync.md §1.8, §2.9): every device holds its own
// Ed25519 key, enrolled once with a one-time code, and signs every request
// after that. The scheme is modelled on RFC 9421 HTTP Message Signatures,
// cut down to one header and one fixed list of covered components.
//
// The request carries one header:
//
//	Sync-Signature: keyid="KIOSK-620102-01";created=1767225600;nonce="<base64url, 16 bytes>";alg="ed25519";sig=:<base64 of 64 bytes>:
//
// The signature is Ed25519 over the signature base, seven lines joined by
// "\n" with no trailing newline:
//
//	credit-sync-v1
//	<METHOD, upper case>
//	<request target: escaped path, plus "?" and the raw query when there is one>
//	<keyid>
//	<created, decimal Unix seconds>
//	<nonce, as in the header>
//	<hex SHA-256 of the body, as its Content-Digest header states it>
//
// The body itself is not signed: its digest travels in the RFC 9530
// Content-Digest header (sha-256=:<base64>:), which the signer sets on
// every request with a body; a request without the header states the
// digest of the empty body. The server checks the signature over the
// headers first, so a refusal as unauthorised (401) means the headers or
// the key are wrong, never the body. Only then does it read the body and
// compare it with the signed digest: a body corrupted or cut in transit
// is answered 400 digest_mismatch (sync.md §3 F5), which the client
// treats as transient and sends again, freshly signed.
//
// The server refuses an unknown or revoked keyid, a signature that does not
// verify, a created time more than ClockSkewWindow away from its own clock
// (401 clock_skew with its server_time, so the client can correct its
// offset estimate and sign again) and a nonce it has already seen from that
// device inside the window (401 replay). Nothing secret travels in the URL.

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HeaderSignature carries the request signature.
const HeaderSignature = "Sync-Signature"

// PathEnroll is where a device registers its public key with a one-time
// code (POST, unsigned).
const PathEnroll = PathPrefix + "/enroll"

// ClockSkewWindow is how far a request's created time may be from the
// server clock.
const ClockSkewWindow = 300 * time.Second

// SignatureAlg is the only algorithm spoken.
const SignatureAlg = "ed25519"

// signatureLabel starts every signature base, so a signature made for this
// protocol means nothing anywhere else.
const signatureLabel = "credit-sync-v1"

// NonceBytes is the size of a request nonce before encoding.
const NonceBytes = 16

// maxSignatureHeader caps the header a parser looks at.
const maxSignatureHeader = 512

// Problem codes of the authentication layer.
const (
	// CodeClockSkew (401): created is outside the window; Problem.ServerTime
	// holds the server clock.
	CodeClockSkew = "clock_skew"
	// CodeReplay (401): the nonce was already used.
	CodeReplay = "replay"
	// CodeDeviceRevoked (403): the device was revoked on the platform.
	CodeDeviceRevoked = "device_revoked"
	// CodeEnrollmentRefused (403): unknown device, or a wrong, expired or
	// used code; the answer does not say which.
	CodeEnrollmentRefused = "enrollment_refused"
)

// Signature is a parsed Sync-Signature header.
type Signature struct {
	KeyID   string // the device id
	Created int64  // Unix seconds, by the signer's estimate of server time
	Nonce   string // base64url (no padding) of NonceBytes random bytes
	Sig     []byte // ed25519.SignatureSize bytes
}

// Enrollment is the body of POST /enroll.
type Enrollment struct {
	DeviceID  string `json:"device_id"`
	Code      string `json:"code"`
	PublicKey string `json:"public_key"` // base64 of the 32-byte Ed25519 key
}

// EnrollmentResult is the body of a successful POST /enroll.
type EnrollmentResult struct {
	DeviceID   string    `json:"device_id"`
	Scope      string    `json:"scope,omitempty"`
	ServerTime time.Time `json:"server_time"`
}

// ValidKeyID reports whether id may be a device id: 1 to 64 characters of
// A-Z, a-z, 0-9, '.', '_' and '-'.
func ValidKeyID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// SignatureBase returns the bytes that are signed (see the package
// comment on device authentication for the exact form).
func SignatureBase(method, target, keyID string, created int64, nonce string, bodySHA256 []byte) []byte {
	var b strings.Builder
	for i, s := range []string{signatureLabel, strings.ToUpper(method), target, keyID,
		strconv.FormatInt(created, 10), nonce, hex.EncodeToString(bodySHA256)} {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	return []byte(b.String())
}

// BodySHA256 returns the SHA-256 of body.
func BodySHA256(body []byte) []byte {
	s := sha256.Sum256(body)
	return s[:]
}

// Sign signs a request and returns the Sync-Signature header value.
func Sign(key ed25519.PrivateKey, method, target, keyID string, created time.Time, nonce string, body []byte) string {
	s := Signature{KeyID: keyID, Created: created.Unix(), Nonce: nonce}
	s.Sig = ed25519.Sign(key, SignatureBase(method, target, keyID, s.Created, nonce, BodySHA256(body)))
	return s.String()
}

// Verify checks s against the request and the device's public key.
func (s Signature) Verify(pub ed25519.PublicKey, method, target string, body []byte) bool {
	return s.VerifyDigest(pub, method, target, BodySHA256(body))
}

// VerifyDigest checks s against the request line and the body digest the
// request states (SignedDigest), without the body.
func (s Signature) VerifyDigest(pub ed25519.PublicKey, method, target string, bodySHA256 []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(s.Sig) != ed25519.SignatureSize || len(bodySHA256) != sha256.Size {
		return false
	}
	return ed25519.Verify(pub, SignatureBase(method, target, s.KeyID, s.Created, s.Nonce, bodySHA256), s.Sig)
}

// SignedDigest returns the body SHA-256 a signed request states in its
// Content-Digest field value v: the digest of the empty body when v is
// empty, else the sha-256 member (ParseContentDigest).
func SignedDigest(v string) ([]byte, error) {
	if v == "" {
		return BodySHA256(nil), nil
	}
	return ParseContentDigest(v)
}

// String formats s as a Sync-Signature header value.
func (s Signature) String() string {
	return fmt.Sprintf(`keyid=%q;created=%d;nonce=%q;alg=%q;sig=:%s:`,
		s.KeyID, s.Created, s.Nonce, SignatureAlg, base64.StdEncoding.EncodeToString(s.Sig))
}

// ParseSignatureHeader parses a Sync-Signature value. Every parameter must
// appear exactly once; keyid must be ValidKeyID, the nonce NonceBytes of
// base64url, alg "ed25519" and sig a byte sequence of 64 bytes.
func ParseSignatureHeader(v string) (Signature, error) {
	var s Signature
	if len(v) > maxSignatureHeader {
		return s, errors.New("protocol: signature: header too long")
	}
	seen := map[string]bool{}
	for item := range strings.SplitSeq(v, ";") {
		name, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return s, fmt.Errorf("protocol: signature: parameter %q has no value", name)
		}
		if seen[name] {
			return s, fmt.Errorf("protocol: signature: parameter %q repeated", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "keyid":
			s.KeyID, err = quoted(val)
			if err == nil && !ValidKeyID(s.KeyID) {
				err = errors.New("not a device id")
			}
		case "created":
			s.Created, err = strconv.ParseInt(val, 10, 64)
			if err == nil && (s.Created <= 0 || val[0] == '+' || val[0] == '0') {
				err = errors.New("not a positive time")
			}
		case "nonce":
			s.Nonce, err = quoted(val)
			if err == nil {
				var n []byte
				if n, err = base64.RawURLEncoding.Strict().DecodeString(s.Nonce); err == nil && len(n) != NonceBytes {
					err = fmt.Errorf("%d bytes, want %d", len(n), NonceBytes)
				}
			}
		case "alg":
			var alg string
			if alg, err = quoted(val); err == nil && alg != SignatureAlg {
				err = fmt.Errorf("algorithm %q not supported", alg)
			}
		case "sig":
			if len(val) < 2 || val[0] != ':' || val[len(val)-1] != ':' {
				err = errors.New("not a byte sequence")
			} else if s.Sig, err = base64.StdEncoding.Strict().DecodeString(val[1 : len(val)-1]); err == nil && len(s.Sig) != 64 {
				err = fmt.Errorf("%d bytes, want 64", len(s.Sig))
			}
		default:
			err = errors.New("unknown parameter")
		}
		if err != nil {
			return Signature{}, fmt.Errorf("protocol: signature: %s: %w", name, err)
		}
	}
	for _, p := range []string{"keyid", "created", "nonce", "alg", "sig"} {
		if !seen[p] {
			return Signature{}, fmt.Errorf("protocol: signature: %s missing", p)
		}
	}
	return s, nil
}

// quoted unquotes a plain sf-string: no escapes, printable ASCII only.
func quoted(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New("not a quoted string")
	}
	v = v[1 : len(v)-1]
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\' {
			return "", errors.New("bad character in string")
		}
	}
	return v, nil
}

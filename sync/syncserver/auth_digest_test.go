package syncserver

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// signedPut sends PUT /applications/{id} signed over body, with its
// Content-Digest, after tamper changes the request (the body as sent is
// sent instead of body when not nil).
func signedPut(t *testing.T, url string, key ed25519.PrivateKey, now time.Time, nonce byte, id string, body, sent []byte, tamper func(*http.Request)) (int, string) {
	t.Helper()
	if sent == nil {
		sent = body
	}
	target := protocol.PathApplications + id
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", url+target, bytes.NewReader(sent))
	n := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{nonce}, protocol.NonceBytes))
	req.Header.Set(protocol.HeaderSignature, protocol.Sign(key, "PUT", target, "K1", now, n, body))
	req.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(body))
	req.Header.Set(protocol.HeaderIdempotencyKey, `"`+id+`"`)
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p protocol.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Code
}

// The signature covers the headers (the body's Content-Digest among them),
// not the body: a body damaged in transit is 400 digest_mismatch and
// stores nothing; a damaged header is 401; a replayed nonce is 401 replay
// whatever body comes with it (sync.md §3 F5, §1.8).
func TestSignedBodyDamage(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	s, hs, key := enrolled(t, filepath.Join(t.TempDir(), "platform.db"), &now)
	id := credit.NewUUID()
	body := objection(id, "signed body")
	flipped := bytes.Clone(body)
	flipped[len(flipped)/2] ^= 0x20
	tests := []struct {
		name   string
		nonce  byte
		sent   []byte
		tamper func(*http.Request)
		status int
		code   string
	}{
		// Nothing is stored until "as signed"; then exactly that body once.
		{"byte flipped in the body", 1, flipped, nil, 400, protocol.CodeDigestMismatch},
		{"body cut short", 2, body[:len(body)/3], nil, 400, protocol.CodeDigestMismatch},
		{"body empty", 3, []byte{}, nil, 400, protocol.CodeDigestMismatch},
		{"body longer", 4, append(bytes.Clone(body), ' '), nil, 400, protocol.CodeDigestMismatch},
		{"digest header altered to match the damaged body", 5, flipped, func(r *http.Request) {
			r.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(flipped))
		}, 401, protocol.CodeUnauthorized},
		{"digest header removed", 6, nil, func(r *http.Request) { r.Header.Del(protocol.HeaderContentDigest) }, 401, protocol.CodeUnauthorized},
		{"digest header garbled", 7, nil, func(r *http.Request) { r.Header.Set(protocol.HeaderContentDigest, "sha-256=:AAAA:") }, 401, protocol.CodeUnauthorized},
		{"path altered", 8, nil, func(r *http.Request) { r.URL.Path += "0" }, 401, protocol.CodeUnauthorized},
		{"as signed", 9, nil, nil, 201, ""},
		{"replayed nonce with the same body", 9, nil, nil, 401, protocol.CodeReplay},
		{"replayed nonce with another body", 9, flipped, nil, 401, protocol.CodeReplay},
		{"fresh nonce, same body", 10, nil, nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code := signedPut(t, hs.URL, key, now, tt.nonce, id, body, tt.sent, tt.tamper)
			if status != tt.status || code != tt.code {
				t.Fatalf("%d %q, want %d %q", status, code, tt.status, tt.code)
			}
			apps, err := s.Applications(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if tt.nonce >= 9 {
				want = 1
			}
			if len(apps) != want || want == 1 && !bytes.Equal(apps[0].Body, body) {
				t.Fatalf("platform holds %d applications, want %d of the body as signed", len(apps), want)
			}
		})
	}
}

// A body over the cap is refused as too large after the headers verify.
func TestSignedBodyTooLarge(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	_, hs, key := enrolled(t, filepath.Join(t.TempDir(), "platform.db"), &now)
	big := bytes.Repeat([]byte{'x'}, maxSignedBody+1)
	if status, code := signedPut(t, hs.URL, key, now, 1, credit.NewUUID(), big, nil, nil); status != 413 || code != protocol.CodeTooLarge {
		t.Fatalf("%d %q", status, code)
	}
}

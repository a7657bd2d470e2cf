package protocol

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

var testNonce = "AAECAwQFBgcICQoLDA0ODw" // 16 bytes, base64url

func TestSignVerify(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1767225600, 0)
	h := Sign(key, "put", "/sync/v1/applications/x?a=1", "KIOSK-1", at, testNonce, []byte("body"))
	s, err := ParseSignatureHeader(h)
	if err != nil {
		t.Fatalf("parse %q: %v", h, err)
	}
	if s.KeyID != "KIOSK-1" || s.Created != at.Unix() || s.Nonce != testNonce {
		t.Fatalf("parsed %+v", s)
	}
	other, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name           string
		pub            ed25519.PublicKey
		method, target string
		body           string
		ok             bool
	}{
		{"as signed", pub, "PUT", "/sync/v1/applications/x?a=1", "body", true},
		{"other body", pub, "PUT", "/sync/v1/applications/x?a=1", "bodz", false},
		{"other path", pub, "PUT", "/sync/v1/applications/y?a=1", "body", false},
		{"other query", pub, "PUT", "/sync/v1/applications/x?a=2", "body", false},
		{"other method", pub, "POST", "/sync/v1/applications/x?a=1", "body", false},
		{"other key", other, "PUT", "/sync/v1/applications/x?a=1", "body", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Verify(tt.pub, tt.method, tt.target, []byte(tt.body)); got != tt.ok {
				t.Errorf("Verify = %v, want %v", got, tt.ok)
			}
		})
	}
	s.Created++
	if s.Verify(pub, "PUT", "/sync/v1/applications/x?a=1", []byte("body")) {
		t.Error("a changed created time verifies")
	}
}

func TestSignatureBase(t *testing.T) {
	got := string(SignatureBase("get", "/sync/v1/hello", "K1", 42, "n", BodySHA256(nil)))
	want := "credit-sync-v1\nGET\n/sync/v1/hello\nK1\n42\nn\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got != want {
		t.Fatalf("base\n%s\nwant\n%s", got, want)
	}
}

func TestParseSignatureHeaderRejects(t *testing.T) {
	sig := ":" + strings.Repeat("A", 86) + "==:"
	good := `keyid="K1";created=1767225600;nonce="` + testNonce + `";alg="ed25519";sig=` + sig
	if _, err := ParseSignatureHeader(good); err != nil {
		t.Fatalf("good header: %v", err)
	}
	tests := map[string]string{
		"empty":         "",
		"missing sig":   `keyid="K1";created=1767225600;nonce="` + testNonce + `";alg="ed25519"`,
		"repeated":      good + `;keyid="K2"`,
		"unknown param": good + `;x="1"`,
		"bad keyid":     strings.Replace(good, `"K1"`, `"K 1"`, 1),
		"unquoted":      strings.Replace(good, `"K1"`, `K1`, 1),
		"negative time": strings.Replace(good, "1767225600", "-5", 1),
		"zero padded":   strings.Replace(good, "1767225600", "01767225600", 1),
		"short nonce":   strings.Replace(good, testNonce, "AAEC", 1),
		"other alg":     strings.Replace(good, `"ed25519"`, `"hmac-sha256"`, 1),
		"short sig":     strings.Replace(good, sig, ":AAAA:", 1),
		"sig not bytes": strings.Replace(good, sig, strings.Trim(sig, ":"), 1),
		"too long":      good + strings.Repeat(" ", 600),
	}
	for name, v := range tests {
		t.Run(name, func(t *testing.T) {
			if s, err := ParseSignatureHeader(v); err == nil {
				t.Errorf("parsed %+v", s)
			}
		})
	}
}

func FuzzParseSignatureHeaders(f *testing.F) {
	_, key, _ := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	f.Add(Sign(key, "GET", "/sync/v1/hello", "KIOSK-620102-01", time.Unix(1767225600, 0), testNonce, nil))
	f.Add(`keyid="";created=0;nonce="";alg="";sig=::`)
	f.Add(`keyid="a";keyid="b"`)
	f.Add(";;;=")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := ParseSignatureHeader(v)
		if err != nil {
			return
		}
		// Whatever parses formats back to something that parses the same.
		again, err := ParseSignatureHeader(s.String())
		if err != nil {
			t.Fatalf("reformatted %q does not parse: %v", s.String(), err)
		}
		if again.KeyID != s.KeyID || again.Created != s.Created || again.Nonce != s.Nonce || !bytes.Equal(again.Sig, s.Sig) {
			t.Fatalf("round trip %+v != %+v", again, s)
		}
	})
}

// The signature covers the digest a request states, so it verifies
// without the body; a body that differs from the digest is the server's
// next check (400), not the signature's.
func TestVerifyDigest(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1767225600, 0)
	body := []byte(`{"id":"x"}`)
	s, err := ParseSignatureHeader(Sign(key, "PUT", "/sync/v1/applications/x", "K1", at, testNonce, body))
	if err != nil {
		t.Fatal(err)
	}
	stated, err := SignedDigest(ContentDigest(body))
	if err != nil {
		t.Fatal(err)
	}
	otherBody, _ := SignedDigest(ContentDigest([]byte(`{"id":"y"}`)))
	empty, _ := SignedDigest("")
	tests := []struct {
		name   string
		target string
		digest []byte
		ok     bool
	}{
		{"stated digest", "/sync/v1/applications/x", stated, true},
		{"digest of another body", "/sync/v1/applications/x", otherBody, false},
		{"no digest header (empty body)", "/sync/v1/applications/x", empty, false},
		{"short digest", "/sync/v1/applications/x", stated[:31], false},
		{"other path", "/sync/v1/applications/y", stated, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.VerifyDigest(pub, "PUT", tt.target, tt.digest); got != tt.ok {
				t.Errorf("VerifyDigest = %v, want %v", got, tt.ok)
			}
		})
	}
	// A GET signed over no body verifies with no Content-Digest header.
	g, _ := ParseSignatureHeader(Sign(key, "GET", "/sync/v1/hello", "K1", at, testNonce, nil))
	if !g.VerifyDigest(pub, "GET", "/sync/v1/hello", empty) {
		t.Error("a bodiless request does not verify without Content-Digest")
	}
}

func TestSignedDigestRejects(t *testing.T) {
	for name, v := range map[string]string{
		"no sha-256":     "sha-512=:AAAA:",
		"not bytes":      "sha-256=" + strings.Repeat("A", 44),
		"short":          "sha-256=:AAAA:",
		"not base64":     "sha-256=:" + strings.Repeat("!", 44) + ":",
		"too long":       "sha-256=:" + strings.Repeat("A", 2000) + ":",
		"only separator": ",",
	} {
		t.Run(name, func(t *testing.T) {
			if d, err := SignedDigest(v); err == nil {
				t.Errorf("parsed %x", d)
			}
		})
	}
}

// FuzzSignedDigest: whatever a Content-Digest header holds, the parser
// returns a 32-byte digest or an error, and a well-formed header parses
// back to the digest it was made from.
func FuzzSignedDigest(f *testing.F) {
	f.Add(ContentDigest([]byte("body")))
	f.Add("sha-512=:AAAA:, " + ContentDigest(nil))
	f.Add("sha-256=:AAAA:")
	f.Add("sha-256=::")
	f.Add("")
	f.Add(" , = :")
	f.Fuzz(func(t *testing.T, v string) {
		d, err := SignedDigest(v)
		if err != nil {
			return
		}
		if len(d) != 32 {
			t.Fatalf("%q gave %d bytes", v, len(d))
		}
		again, err := SignedDigest("sha-256=:" + base64.StdEncoding.EncodeToString(d) + ":")
		if err != nil || !bytes.Equal(again, d) {
			t.Fatalf("round trip of %x: %x %v", d, again, err)
		}
	})
}

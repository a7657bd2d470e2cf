package report

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
	"time"
)

// rawOf returns the COSE bytes of a QR text.
func rawOf(t *testing.T, text string) []byte {
	t.Helper()
	raw, err := Base45Decode(strings.TrimPrefix(text, Prefix))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// assemble builds a COSE_Sign1 text from parts without signing.
func assemble(prot, payload, sig []byte) string {
	var e cborEnc
	e.tag(coseTagSign1)
	e.array(4)
	e.bytes(prot)
	e.mapHead(0)
	e.bytes(payload)
	e.bytes(sig)
	return Prefix + Base45Encode(e.b)
}

func signFixture(t *testing.T) (Signed, KeySet) {
	t.Helper()
	priv := testKey(t, 1)
	s, err := Sign(priv, fixtureReport(t).Claims(2, 90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return s, keySetOf("兰州市城关区发展和改革局", priv)
}

func TestSignVerifyValid(t *testing.T) {
	s, keys := signFixture(t)
	if !isAlphanumeric(s.Text) || !strings.HasPrefix(s.Text, "CR1:") {
		t.Fatalf("text %q is not CR1: alphanumeric", s.Text)
	}
	r := Verify(s.Text, keys, issued.Add(time.Hour))
	if r.Status != StatusValid || r.ExitCode != 0 || r.Claims == nil {
		t.Fatalf("Verify = %+v", r)
	}
	if r.Office != "兰州市城关区发展和改革局" || r.Code != s.Code || len(r.Code) != 8 {
		t.Errorf("office %q code %q (signed code %q)", r.Office, r.Code, s.Code)
	}
	if r.MessageZH != "真实有效" {
		t.Errorf("zh message %q", r.MessageZH)
	}
	if !r.Claims.IssuedAt.Equal(issued) || r.Claims.SubjectName != "王堃" {
		t.Errorf("claims %+v", r.Claims)
	}
}

func TestVerifyTampering(t *testing.T) {
	s, keys := signFixture(t)
	now := issued.Add(time.Hour)
	msg, err := parseSign1(rawOf(t, s.Text))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, bit int) []byte {
		c := bytes.Clone(b)
		c[bit/8] ^= 1 << (bit % 8)
		return c
	}
	t.Run("payload bit", func(t *testing.T) {
		altered := 0
		for bit := range len(msg.payload) * 8 {
			r := Verify(assemble(msg.protected, flip(msg.payload, bit), msg.signature), keys, now)
			switch r.Status {
			case StatusAltered:
				altered++
				if r.Claims != nil {
					t.Fatalf("bit %d: unsigned claims exposed", bit)
				}
			case StatusMalformed:
			default:
				t.Fatalf("bit %d: status %s", bit, r.Status)
			}
		}
		if altered == 0 {
			t.Error("no flip reached the signature check")
		}
	})
	t.Run("signature bit", func(t *testing.T) {
		for bit := range len(msg.signature) * 8 {
			if r := Verify(assemble(msg.protected, msg.payload, flip(msg.signature, bit)), keys, now); r.Status != StatusAltered || r.ExitCode != 20 {
				t.Fatalf("bit %d: status %s", bit, r.Status)
			}
		}
	})
	t.Run("kid bit", func(t *testing.T) {
		for bit := range kidLen * 8 {
			kid := [kidLen]byte(flip(msg.kid, bit))
			if r := Verify(assemble(protectedHeader(kid), msg.payload, msg.signature), keys, now); r.Status != StatusUnknownKey || r.ExitCode != 21 {
				t.Fatalf("bit %d: status %s", bit, r.Status)
			}
		}
	})
	t.Run("any bit of the message", func(t *testing.T) {
		raw := rawOf(t, s.Text)
		for bit := range len(raw) * 8 {
			if r := Verify(Prefix+Base45Encode(flip(raw, bit)), keys, now); r.Status == StatusValid || r.Status == StatusExpired {
				t.Fatalf("bit %d: status %s", bit, r.Status)
			}
		}
	})
	t.Run("alg ES256", func(t *testing.T) {
		var e cborEnc
		e.mapHead(2)
		e.uint(coseHdrAlg)
		e.int(-7)
		e.uint(coseHdrKID)
		e.bytes(msg.kid)
		if r := Verify(assemble(e.b, msg.payload, msg.signature), keys, now); r.Status != StatusUnknownKey {
			t.Fatalf("status %s", r.Status)
		}
	})
	t.Run("swapped payload", func(t *testing.T) {
		other := fixtureReport(t)
		other.Subject.Name = "李四"
		s2, err := Sign(testKey(t, 1), other.Claims(1, time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseSign1(rawOf(t, s2.Text))
		if err != nil {
			t.Fatal(err)
		}
		if r := Verify(s2.Text, keys, now); r.Status != StatusValid {
			t.Fatalf("second report: %s", r.Status)
		}
		if r := Verify(assemble(msg.protected, m2.payload, msg.signature), keys, now); r.Status != StatusAltered {
			t.Fatalf("payload of B with signature of A: %s", r.Status)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		raw := rawOf(t, s.Text)
		for n := range len(raw) {
			if r := Verify(Prefix+Base45Encode(raw[:n]), keys, now); r.Status != StatusMalformed {
				t.Fatalf("truncated to %d bytes: %s", n, r.Status)
			}
		}
	})
	t.Run("signed by a stranger", func(t *testing.T) {
		s3, err := Sign(testKey(t, 99), fixtureReport(t).Claims(2, time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if r := Verify(s3.Text, keys, now); r.Status != StatusUnknownKey {
			t.Fatalf("status %s", r.Status)
		}
	})
}

func TestVerifyMalformed(t *testing.T) {
	s, keys := signFixture(t)
	priv := testKey(t, 1)
	signedRaw := func(payload []byte) string {
		msg, _, _, err := signSign1(priv, priv.Public().(ed25519.PublicKey), payload)
		if err != nil {
			t.Fatal(err)
		}
		return Prefix + Base45Encode(msg)
	}
	schema2 := fixtureReport(t).Claims(2, time.Hour).marshal()
	schema2[2] = 0x02 // {0: 1, …} → {0: 2, …}
	missing := fixtureReport(t).Claims(2, time.Hour).marshal()
	missing[0]-- // one entry fewer: drops the last key (pages)
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"no prefix", strings.TrimPrefix(s.Text, Prefix)},
		{"wrong prefix", "HC1:" + strings.TrimPrefix(s.Text, Prefix)},
		{"lower case", strings.ToLower(s.Text)},
		{"over 4 KB", s.Text + strings.Repeat("0", MaxTextLen)},
		{"trailing char", s.Text + "0"},
		{"trailing bytes", Prefix + Base45Encode(append(rawOf(t, s.Text), 0))},
		{"untagged", Prefix + Base45Encode(rawOf(t, s.Text)[1:])},
		{"schema 2, signed", signedRaw(schema2)},
		{"missing claim, signed", signedRaw(missing[:len(missing)-2])},
		{"payload not a map, signed", signedRaw([]byte{0x01})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Verify(tt.text, keys, issued)
			if r.Status != StatusMalformed || r.ExitCode != 30 || r.Claims != nil || r.Detail == "" {
				t.Fatalf("Verify = %s %q", r.Status, r.Detail)
			}
		})
	}
}

func TestVerifyTime(t *testing.T) {
	priv := testKey(t, 1)
	keys := keySetOf("", priv)
	s, err := Sign(priv, fixtureReport(t).Claims(1, 30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	exp := s.Claims.Expires
	far, err := Sign(priv, Claims{ReportID: "X", IssuedAt: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2100, 2, 1, 0, 0, 0, 0, time.UTC),
		Type: LegalPersonReport, SubjectName: "某公司", SubjectIDDisplay: "91620102MA74XXXX0X", Pages: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		text string
		now  time.Time
		want Status
		code int
	}{
		{"at issue", s.Text, issued, StatusValid, 0},
		{"exp-1s", s.Text, exp.Add(-time.Second), StatusValid, 0},
		{"exp", s.Text, exp, StatusValid, 0},
		{"exp+1s", s.Text, exp.Add(time.Second), StatusExpired, 10},
		{"iat within skew", s.Text, issued.Add(-9 * time.Minute), StatusValid, 0},
		{"iat beyond skew", s.Text, issued.Add(-11 * time.Minute), StatusNotYetValid, 24},
		{"far-future iat", far.Text, issued, StatusNotYetValid, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Verify(tt.text, keys, tt.now)
			if r.Status != tt.want || r.ExitCode != tt.code {
				t.Fatalf("Verify at %s = %s (%d), want %s (%d)", tt.now, r.Status, r.ExitCode, tt.want, tt.code)
			}
			if r.Claims == nil {
				t.Error("signature verified but claims not shown")
			}
		})
	}
}

// TestVerifyKidCollision: kids are truncated hashes; every key with the
// kid is tried.
func TestVerifyKidCollision(t *testing.T) {
	s, good := signFixture(t)
	impostor := testKey(t, 50).Public().(ed25519.PublicKey)
	var ks KeySet
	ks.keys = append(ks.keys, TrustedKey{KID: s.KID, Public: impostor, Office: "impostor"})
	ks.keys = append(ks.keys, good.keys...)
	r := Verify(s.Text, ks, issued)
	if r.Status != StatusValid || r.Office == "impostor" {
		t.Fatalf("Verify = %s office %q", r.Status, r.Office)
	}
	ks.keys = ks.keys[:1]
	if r := Verify(s.Text, ks, issued); r.Status != StatusAltered {
		t.Fatalf("only the impostor: %s", r.Status)
	}
}

func TestSignRejects(t *testing.T) {
	priv := testKey(t, 1)
	good := fixtureReport(t).Claims(1, time.Hour)
	tests := []struct {
		name   string
		mutate func(*Claims)
	}{
		{"no report id", func(c *Claims) { c.ReportID = "" }},
		{"long report id", func(c *Claims) { c.ReportID = strings.Repeat("1", 25) }},
		{"exp before iat", func(c *Claims) { c.Expires = c.IssuedAt.Add(-time.Second) }},
		{"unknown type", func(c *Claims) { c.Type = 9 }},
		{"no name", func(c *Claims) { c.SubjectName = "" }},
		{"non-ASCII id", func(c *Claims) { c.SubjectIDDisplay = "６２" }},
		{"zero pages", func(c *Claims) { c.Pages = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mutate(&c)
			if _, err := Sign(priv, c); err == nil {
				t.Fatal("Sign accepted bad claims")
			}
		})
	}
	if _, err := Sign(priv[:10], good); err == nil {
		t.Error("Sign accepted a short key")
	}
	if _, err := Sign(nil, good); err == nil {
		t.Error("Sign accepted no key")
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(ec, good); err == nil || !strings.Contains(err.Error(), "only Ed25519") {
		t.Errorf("Sign with an ECDSA key: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	priv := testKey(f, 1)
	keys := keySetOf("x", priv)
	s, err := Sign(priv, fixtureReport(f).Claims(2, time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{s.Text, s.Text[:40], "CR1:", "CR1:GGW", "", "CR1:" + strings.Repeat("0", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := Verify(text, keys, issued)
		if r.ExitCode != r.Status.ExitCode() {
			t.Fatalf("exit code %d for %s", r.ExitCode, r.Status)
		}
		if r.Status == StatusValid && text != s.Text {
			t.Fatalf("a different text verified: %q", text)
		}
		if (r.Claims != nil) != (r.Status == StatusValid || r.Status == StatusExpired || r.Status == StatusNotYetValid) {
			t.Fatalf("claims exposure does not match status %s", r.Status)
		}
	})
}

// FuzzVerifyCOSE feeds arbitrary bytes under a valid prefix and Base45,
// reaching the CBOR, COSE and claims parsers.
func FuzzVerifyCOSE(f *testing.F) {
	priv := testKey(f, 1)
	keys := keySetOf("x", priv)
	s, err := Sign(priv, fixtureReport(f).Claims(2, time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	raw, err := Base45Decode(strings.TrimPrefix(s.Text, Prefix))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:20])
	f.Add([]byte{0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40})
	f.Add([]byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Verify(Prefix+Base45Encode(b), keys, issued)
		if r.Status == StatusValid && !bytes.Equal(b, raw) {
			t.Fatalf("different bytes verified")
		}
		if r.Status == "" || r.ExitCode != r.Status.ExitCode() {
			t.Fatalf("status %q exit %d", r.Status, r.ExitCode)
		}
	})
}

package protocol

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func TestContentDigest(t *testing.T) {
	body := []byte(`{"id":"x"}`)
	sum := sha256.Sum256(body)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"own", ContentDigest(body), true},
		{"with other algorithm first", "sha-512=:AAAA:, " + ContentDigest(body), true},
		{"missing", "sha-512=:AAAA:", false},
		{"not a byte sequence", "sha-256=abc", false},
		{"bad base64", "sha-256=:***:", false},
		{"short", "sha-256=:AAAA:", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseContentDigest(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if tt.ok && !bytes.Equal(got, sum[:]) {
				t.Errorf("digest %x", got)
			}
		})
	}
}

func FuzzParseContentDigest(f *testing.F) {
	f.Add(ContentDigest([]byte("x")))
	f.Add("sha-256=:,")
	f.Add("sha-256=::")
	f.Fuzz(func(t *testing.T, s string) {
		sum, err := ParseContentDigest(s)
		if err == nil && len(sum) != sha256.Size {
			t.Fatalf("accepted %d-byte digest", len(sum))
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: "abc", "abc": "abc", ` "a" `: "a", `"`: `"`} {
		if got := ParseIdempotencyKey(in); got != want {
			t.Errorf("ParseIdempotencyKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProblem(t *testing.T) {
	p := NewProblem(http.StatusBadRequest, CodeInvalidApplication, "invalid", credit.Errorf(credit.EINVALID, "请填写异议理由。", "Please state why."))
	if p.Detail != "请填写异议理由。" || p.DetailEN != "Please state why." || !strings.Contains(p.Message(), "Please state why.") {
		t.Errorf("problem = %+v", p)
	}
	internal := NewProblem(500, CodeInternal, "internal error", errString("disk on fire at /var/x"))
	if internal.Detail != "" || internal.DetailEN != "" {
		t.Errorf("internal detail leaked: %+v", internal)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"code":"bad_cursor","title":"bad cursor","detail_en":"tampered"}`)
	got := DecodeProblem(400, &buf)
	if got.Code != CodeBadCursor || got.Status != 400 || got.Message() != "tampered" {
		t.Errorf("decoded %+v", got)
	}
	if got := DecodeProblem(502, strings.NewReader("<html>bad gateway</html>")); got.Code != CodeInternal || got.Status != 502 {
		t.Errorf("non-problem body decoded as %+v", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

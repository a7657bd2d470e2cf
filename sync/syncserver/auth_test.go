package syncserver

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// enrolled opens a server whose clock reads *now, with device K1 enrolled.
func enrolled(t *testing.T, path string, now *time.Time) (*Server, *httptest.Server, ed25519.PrivateKey) {
	t.Helper()
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	pub, key, _ := ed25519.GenerateKey(nil)
	if regs, _ := s.RegisteredDevices(t.Context()); len(regs) == 1 {
		return s, hs, nil
	}
	code, _, err := s.AddDevice(t.Context(), "K1", "620102")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(protocol.Enrollment{DeviceID: "K1", Code: code, PublicKey: base64.StdEncoding.EncodeToString(pub)})
	resp, err := http.Post(hs.URL+protocol.PathEnroll, protocol.ContentTypeJSON, bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("enrol: %v %v", resp, err)
	}
	resp.Body.Close()
	return s, hs, key
}

func signedHello(t *testing.T, url string, key ed25519.PrivateKey, created time.Time, nonce byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+protocol.PathHello, nil)
	n := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{nonce}, protocol.NonceBytes))
	req.Header.Set(protocol.HeaderSignature, protocol.Sign(key, "GET", protocol.PathHello, "K1", created, n, nil))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p protocol.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Code
}

// After a restart the nonce cache is empty, so requests signed before the
// start are refused (clock_skew: the client signs again) instead of being
// open to replay.
func TestReplayAcrossRestartRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "platform.db")
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	_, hs, key := enrolled(t, path, &now)
	if code, _ := signedHello(t, hs.URL, key, now, 1); code != 200 {
		t.Fatalf("first request %d", code)
	}
	hs.Close()
	now = now.Add(time.Minute)
	_, hs2, _ := enrolled(t, path, &now)
	tests := []struct {
		name    string
		created time.Time
		nonce   byte
		status  int
		code    string
	}{
		{"replay of a request from before the restart", now.Add(-time.Minute), 1, 401, protocol.CodeClockSkew},
		{"fresh request", now, 2, 200, ""},
		{"its replay", now, 2, 401, protocol.CodeReplay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, code := signedHello(t, hs2.URL, key, tt.created, tt.nonce); status != tt.status || code != tt.code {
				t.Errorf("%d %q, want %d %q", status, code, tt.status, tt.code)
			}
		})
	}
}

func TestAddDeviceRules(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	s, _, _ := enrolled(t, filepath.Join(t.TempDir(), "platform.db"), &now)
	ctx := t.Context()
	c1, _, err := s.AddDevice(ctx, "K1", "")
	if err != nil || len(c1) < 32 {
		t.Fatalf("re-issue for an enrolled device: %q %v", c1, err)
	}
	c2, _, _ := s.AddDevice(ctx, "K2", "")
	if c1 == c2 {
		t.Fatal("two devices got the same code")
	}
	if _, _, err := s.AddDevice(ctx, "no spaces", ""); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("bad id: %v", err)
	}
	if err := s.RevokeDevice(ctx, "K2"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddDevice(ctx, "K2", ""); credit.ErrorCode(err) != credit.ECONFLICT {
		t.Errorf("re-adding a revoked device: %v", err)
	}
	if err := s.RevokeDevice(ctx, "K9"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("revoking an unknown device: %v", err)
	}
	regs, err := s.RegisteredDevices(ctx)
	if err != nil || len(regs) != 2 || regs[0].Scope != "620102" || !regs[0].Enrolled || !regs[0].CodePending || !regs[1].Revoked || regs[1].CodePending {
		t.Fatalf("registrations %+v %v", regs, err)
	}
}

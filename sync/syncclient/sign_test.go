package syncclient

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// signedRig is a platform without bearer tokens, its clock settable, and
// one enrolled device.
type signedRig struct {
	srv   *syncserver.Server
	hs    *httptest.Server
	clock atomic.Int64 // server time, Unix nanoseconds
	key   ed25519.PrivateKey
	logs  *lockedbuf.Buffer
	store *fakeStore

	mu   sync.Mutex
	wrap func(w http.ResponseWriter, r *http.Request, next http.Handler)
	sigs []string // Sync-Signature of every request
}

func (g *signedRig) now() time.Time { return time.Unix(0, g.clock.Load()) }

func newSignedRig(t *testing.T) *signedRig {
	t.Helper()
	g := &signedRig{logs: &lockedbuf.Buffer{}, store: newFakeStore()}
	g.clock.Store(t0.UnixNano())
	srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{Now: g.now,
		Logger: slog.New(slog.NewTextHandler(g.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	g.srv = srv
	h := srv.Handler()
	g.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.sigs = append(g.sigs, r.Header.Get(protocol.HeaderSignature))
		wrap := g.wrap
		g.mu.Unlock()
		if wrap != nil {
			wrap(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { g.hs.Close(); srv.Close() })
	code, _, err := srv.AddDevice(t.Context(), "KIOSK-620102-01", "620102")
	if err != nil {
		t.Fatal(err)
	}
	if g.key, err = LoadOrCreateDeviceKey(filepath.Join(t.TempDir(), "kiosk.db.key")); err != nil {
		t.Fatal(err)
	}
	if _, err := Enroll(t.Context(), EnrollConfig{BaseURL: g.hs.URL, DeviceID: "KIOSK-620102-01", Code: strings.ToLower(code), Key: g.key}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(g.logs.String(), code) {
		t.Error("the enrolment code reached the server log")
	}
	return g
}

func (g *signedRig) client(mod func(*Config)) *Client {
	cfg := Config{
		BaseURL: g.hs.URL, Key: g.key, DeviceID: "KIOSK-620102-01", Outbox: g.store, Applier: g.store, Now: g.now,
		Logger:       slog.New(slog.NewTextHandler(g.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RetryMax: 2,
	}
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg)
}

func (g *signedRig) signatures() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.sigs...)
}

func TestSignedSyncEndToEnd(t *testing.T) {
	g := newSignedRig(t)
	seed(t, g.srv, 5)
	id := credit.NewUUID()
	g.store.enqueue(credit.KindObjection, id, objection(id, "signed"))
	res, err := g.client(nil).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 1 || res.Applied < 10 || !res.Acked {
		t.Fatalf("result %+v", res)
	}
	apps, err := g.srv.Applications(t.Context())
	if err != nil || len(apps) != 1 || apps[0].DeviceID != "KIOSK-620102-01" {
		t.Fatalf("applications %+v, %v", apps, err)
	}
	for _, s := range g.signatures()[1:] { // [0] is the enrolment
		if s == "" {
			t.Fatal("an unsigned request after enrolment")
		}
	}
	if logs := g.logs.String(); strings.Contains(logs, "sig=") || strings.Contains(logs, "nonce") || strings.Contains(logs, "Bearer") {
		t.Errorf("a signature reached the logs:\n%s", logs)
	}
}

func TestEnrollRefused(t *testing.T) {
	g := newSignedRig(t)
	ctx := t.Context()
	other, err := LoadOrCreateDeviceKey(filepath.Join(t.TempDir(), "other.key"))
	if err != nil {
		t.Fatal(err)
	}
	code2, _, err := g.srv.AddDevice(ctx, "KIOSK-620102-02", "")
	if err != nil {
		t.Fatal(err)
	}
	code3, _, err := g.srv.AddDevice(ctx, "KIOSK-620102-03", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := g.srv.RevokeDevice(ctx, "KIOSK-620102-03"); err != nil {
		t.Fatal(err)
	}
	enroll := func(dev, code string, key ed25519.PrivateKey) error {
		_, err := Enroll(ctx, EnrollConfig{BaseURL: g.hs.URL, DeviceID: dev, Code: code, Key: key})
		return err
	}
	// The first device's code is used: the same key may repeat (a lost
	// answer), another key may not.
	if err := enroll("KIOSK-620102-02", code2, other); err != nil {
		t.Fatal(err)
	}
	if err := enroll("KIOSK-620102-02", code2, other); err != nil {
		t.Fatalf("repeated enrolment with the same key: %v", err)
	}
	code4, _, err := g.srv.AddDevice(ctx, "KIOSK-620102-04", "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dev, code string
		key             ed25519.PrivateKey
		later           time.Duration
	}{
		{"wrong code", "KIOSK-620102-04", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", other, 0},
		{"used code, other key", "KIOSK-620102-02", code2, g.key, 0},
		{"unknown device", "KIOSK-999", code4, other, 0},
		{"revoked device", "KIOSK-620102-03", code3, other, 0},
		{"expired code", "KIOSK-620102-04", code4, other, syncserver.EnrollCodeTTL + time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.clock.Add(int64(tt.later))
			err := enroll(tt.dev, tt.code, tt.key)
			if credit.ErrorCode(err) != credit.EUNAUTHORIZED || !strings.Contains(credit.ErrorMessageEN(err), "enrolment code") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	regs, err := g.srv.RegisteredDevices(ctx)
	if err != nil || len(regs) != 4 || !regs[0].Enrolled || !regs[2].Revoked || regs[3].Enrolled || !regs[3].CodePending {
		t.Fatalf("registrations %+v, %v", regs, err)
	}
}

func TestRevokedDeviceRefusedWithoutRetry(t *testing.T) {
	g := newSignedRig(t)
	if err := g.srv.RevokeDevice(t.Context(), "KIOSK-620102-01"); err != nil {
		t.Fatal(err)
	}
	id := credit.NewUUID()
	g.store.enqueue(credit.KindObjection, id, objection(id, "x"))
	before := len(g.signatures())
	_, err := g.client(nil).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("err = %v", err)
	}
	if n := len(g.signatures()) - before; n != 1 {
		t.Errorf("%d requests, want 1 (no retry after 403)", n)
	}
	// An unknown device is refused the same way.
	_, err = g.client(func(c *Config) { c.DeviceID = "KIOSK-NOBODY" }).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("unknown device: err = %v", err)
	}
}

// rawSigned sends a request signed by hand, after tamper changes it.
func (g *signedRig) rawSigned(t *testing.T, method, target string, body []byte, created time.Time, nonce string, tamper func(r *http.Request)) (int, protocol.Problem) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, g.hs.URL+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(protocol.HeaderSignature, protocol.Sign(g.key, method, target, "KIOSK-620102-01", created, nonce, body))
	if body != nil {
		req.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(body))
	}
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p protocol.Problem
	if resp.StatusCode != http.StatusOK {
		_ = json.NewDecoder(resp.Body).Decode(&p)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, p
}

func nonce(i byte) string {
	return base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{i}, protocol.NonceBytes))
}

func TestTamperedAndReplayedRequestsRefused(t *testing.T) {
	g := newSignedRig(t)
	ack := []byte(`{"cursor":"x"}`)
	tests := []struct {
		name     string
		method   string
		target   string
		body     []byte
		created  time.Duration // from server time
		nonce    string
		tamper   func(r *http.Request)
		status   int
		code     string
		skewTime bool
	}{
		{"as signed", "GET", protocol.PathHello, nil, 0, nonce(1), nil, 200, "", false},
		{"replayed nonce", "GET", protocol.PathHello, nil, 0, nonce(1), nil, 401, protocol.CodeReplay, false},
		// The signature covers the body's Content-Digest: a body changed
		// on the way is a digest mismatch (400, sent again), the digest
		// header changed with it is not authorised.
		{"tampered body", "POST", protocol.PathAck, ack, 0, nonce(2), func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"cursor":"y"}`))
		}, 400, protocol.CodeDigestMismatch, false},
		{"tampered body and digest", "POST", protocol.PathAck, ack, 0, nonce(12), func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"cursor":"y"}`))
			r.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest([]byte(`{"cursor":"y"}`)))
		}, 401, protocol.CodeUnauthorized, false},
		{"replayed nonce, another body", "POST", protocol.PathAck, []byte(`{"cursor":"z"}`), 0, nonce(2), nil, 401, protocol.CodeReplay, false},
		{"tampered path", "GET", protocol.PathChanges + "?limit=5", nil, 0, nonce(3), func(r *http.Request) {
			r.URL.RawQuery = "limit=6"
		}, 401, protocol.CodeUnauthorized, false},
		{"tampered method", "GET", protocol.PathHello, nil, 0, nonce(4), func(r *http.Request) { r.Method = "POST" }, 401, protocol.CodeUnauthorized, false},
		{"tampered timestamp", "GET", protocol.PathHello, nil, 0, nonce(5), func(r *http.Request) {
			s, _ := protocol.ParseSignatureHeader(r.Header.Get(protocol.HeaderSignature))
			s.Created += 10
			r.Header.Set(protocol.HeaderSignature, s.String())
		}, 401, protocol.CodeUnauthorized, false},
		{"other device id", "GET", protocol.PathHello, nil, 0, nonce(6), func(r *http.Request) {
			s, _ := protocol.ParseSignatureHeader(r.Header.Get(protocol.HeaderSignature))
			s.KeyID = "KIOSK-620102-02"
			r.Header.Set(protocol.HeaderSignature, s.String())
		}, 401, protocol.CodeUnauthorized, false},
		{"garbage header", "GET", protocol.PathHello, nil, 0, nonce(7), func(r *http.Request) { r.Header.Set(protocol.HeaderSignature, "x") }, 401, protocol.CodeUnauthorized, false},
		{"unsigned", "GET", protocol.PathHello, nil, 0, nonce(8), func(r *http.Request) { r.Header.Del(protocol.HeaderSignature) }, 401, protocol.CodeUnauthorized, false},
		{"10 min slow", "GET", protocol.PathHello, nil, -10 * time.Minute, nonce(9), nil, 401, protocol.CodeClockSkew, true},
		{"10 min fast", "GET", protocol.PathHello, nil, 10 * time.Minute, nonce(10), nil, 401, protocol.CodeClockSkew, true},
		{"4 min fast is inside the window", "GET", protocol.PathHello, nil, 4 * time.Minute, nonce(11), nil, 200, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, p := g.rawSigned(t, tt.method, tt.target, tt.body, g.now().Add(tt.created), tt.nonce, tt.tamper)
			if status != tt.status || p.Code != tt.code {
				t.Fatalf("status %d %q, want %d %q", status, p.Code, tt.status, tt.code)
			}
			if tt.skewTime && (p.ServerTime == nil || !p.ServerTime.Equal(g.now())) {
				t.Errorf("server_time %v, want %v", p.ServerTime, g.now())
			}
		})
	}
	// A nonce is remembered per device only as long as its time is in the
	// window; after that the time alone refuses it.
	g.clock.Add(int64(protocol.ClockSkewWindow + time.Second))
	if status, p := g.rawSigned(t, "GET", protocol.PathHello, nil, g.now().Add(-protocol.ClockSkewWindow-2*time.Second), nonce(1), nil); status != 401 || p.Code != protocol.CodeClockSkew {
		t.Fatalf("stale replay: %d %q", status, p.Code)
	}
}

func TestClockSkewRecovers(t *testing.T) {
	for _, skew := range []time.Duration{10 * time.Minute, -10 * time.Minute, 26 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			g := newSignedRig(t)
			seed(t, g.srv, 2)
			// The device clock is off by skew; the server's is right.
			c := g.client(func(c *Config) { c.Now = func() time.Time { return g.now().Add(-skew) } })
			before := len(g.signatures())
			res, err := c.SyncOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if res.Applied == 0 {
				t.Fatalf("result %+v", res)
			}
			if off := c.ClockOffset(); off < skew-2*time.Second || off > skew+2*time.Second {
				t.Errorf("offset %v, want about %v", off, skew)
			}
			// One refused request, then every request signed right.
			got := g.signatures()[before:]
			if len(got) < 3 || !strings.Contains(g.logs.String(), "clock_skew") {
				t.Errorf("%d requests; logs:\n%s", len(got), g.logs.String())
			}
			n := len(g.signatures())
			if _, err := c.SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if strings.Count(g.logs.String(), "code=clock_skew") != 1 {
				t.Errorf("more than one skew refusal:\n%s", g.logs.String())
			}
			_ = n
		})
	}
}

func TestRetriesResign(t *testing.T) {
	g := newSignedRig(t)
	seed(t, g.srv, 2)
	var fails atomic.Int32
	g.wrap = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == protocol.PathChanges && fails.Add(1) <= 2 {
			http.Error(w, "try later", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	}
	before := len(g.signatures())
	if _, err := g.client(nil).SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range g.signatures()[before:] {
		sig, err := protocol.ParseSignatureHeader(s)
		if err != nil {
			t.Fatal(err)
		}
		if seen[sig.Nonce] {
			t.Fatal("a retry reused a nonce")
		}
		seen[sig.Nonce] = true
	}
	if fails.Load() < 3 {
		t.Fatalf("the changes request was tried %d times", fails.Load())
	}
}

func TestLoadOrCreateDeviceKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "kiosk.db.key")
	k1, err := LoadOrCreateDeviceKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v", fi.Mode(), err)
	}
	k2, err := LoadOrCreateDeviceKey(path)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("reloaded key differs: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateDeviceKey(path); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("world-readable key: err = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateDeviceKey(bad); err == nil {
		t.Error("garbage key file accepted")
	}
}

package syncclient

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCheckRetry(t *testing.T) {
	idem := idempotent(t.Context())
	canceled, cancel := context.WithCancel(idem)
	cancel()
	netErr := &url.Error{Op: "Get", URL: "http://x", Err: errors.New("connection refused")}
	certErr := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	tests := []struct {
		name   string
		ctx    context.Context
		status int
		err    error
		want   bool
	}{
		{"idempotent 502", idem, 502, nil, true},
		{"idempotent 503", idem, 503, nil, true},
		{"idempotent 429", idem, 429, nil, true},
		{"idempotent 408", idem, 408, nil, true},
		{"idempotent 425", idem, 425, nil, true},
		{"idempotent 500", idem, 500, nil, true},
		{"idempotent 504", idem, 504, nil, true},
		{"501 is permanent", idem, 501, nil, false},
		{"400", idem, 400, nil, false},
		{"401", idem, 401, nil, false},
		{"422", idem, 422, nil, false},
		{"200", idem, 200, nil, false},
		{"transport error", idem, 0, netErr, true},
		{"certificate error", idem, 0, certErr, false},
		{"not idempotent 503", t.Context(), 503, nil, false},
		{"not idempotent transport error", t.Context(), 0, netErr, false},
		{"context canceled", canceled, 503, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			if tt.err == nil {
				resp = &http.Response{StatusCode: tt.status}
			}
			got, _ := checkRetry(tt.ctx, resp, tt.err)
			if got != tt.want {
				t.Errorf("retry = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	c := New(Config{Now: func() time.Time { return now }})
	c.rand = func() float64 { return 0.5 }
	tests := []struct {
		name       string
		status     int
		retryAfter string
		attempt    int
		want       time.Duration
	}{
		{"jitter attempt 0", 502, "", 0, 1 * time.Second},
		{"jitter attempt 3", 502, "", 3, 8 * time.Second},
		{"jitter capped", 502, "", 20, 30 * time.Second},
		{"retry-after seconds", 429, "5", 0, 5 * time.Second},
		{"retry-after huge is clamped", 429, "86400", 0, 60 * time.Second},
		{"retry-after zero is raised to 1 s", 503, "0", 0, time.Second},
		{"retry-after past date", 503, now.Add(-time.Hour).Format(http.TimeFormat), 0, time.Second},
		{"retry-after date", 503, now.Add(10 * time.Second).Format(http.TimeFormat), 0, 10 * time.Second},
		{"retry-after garbage", 429, "soon", 1, 2 * time.Second},
		{"retry-after negative", 429, "-5", 1, 2 * time.Second},
		{"retry-after ignored on 502", 502, "5", 1, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.retryAfter != "" {
				resp.Header.Set("Retry-After", tt.retryAfter)
			}
			if got := c.backoff(2*time.Second, 60*time.Second, tt.attempt, resp); got != tt.want {
				t.Errorf("backoff = %v, want %v", got, tt.want)
			}
		})
	}
	// Full jitter spans [0, cap).
	for _, r := range []float64{0, 0.999} {
		if got := fullJitter(time.Second, 4*time.Second, 10, func() float64 { return r }); got < 0 || got >= 4*time.Second {
			t.Errorf("fullJitter(rand=%v) = %v", r, got)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("5")
	f.Add("Fri, 27 Nov 2026 09:00:00 GMT")
	f.Add("-1")
	f.Add("99999999999999999999")
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	c := New(Config{Now: func() time.Time { return now }})
	f.Fuzz(func(t *testing.T, v string) {
		resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}}
		if d := c.backoff(time.Second, time.Minute, 0, resp); d < 0 || d > time.Minute {
			t.Fatalf("Retry-After %q gave %v", v, d)
		}
	})
}

func TestLeveledLoggerFilters(t *testing.T) {
	var buf bytes.Buffer
	l := leveledLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	l.Debug("retrying request", "request", "GET http://h/sync/v1/changes?cursor=SECRETCURSOR (status: 502)", "timeout", time.Second, "remaining", 2)
	l.Error("request failed", "error", "boom", "method", "PUT", "url", "http://h/x?cursor=SECRETCURSOR", "headers", "Authorization: Bearer tok")
	out := buf.String()
	for _, bad := range []string{"SECRETCURSOR", "Bearer", "tok", "headers"} {
		if strings.Contains(out, bad) {
			t.Errorf("log contains %q:\n%s", bad, out)
		}
	}
	for _, good := range []string{"(status: 502)", "method=PUT", "error=boom", "remaining=2"} {
		if !strings.Contains(out, good) {
			t.Errorf("log lacks %q:\n%s", good, out)
		}
	}
}

// A 400 is retried only when it is a digest_mismatch problem (the body
// was damaged in transit) on an idempotent request, and the problem stays
// readable for the caller when retries run out.
func TestCheckRetryDigestMismatch(t *testing.T) {
	mismatch := `{"type":"about:blank","title":"digest mismatch","status":400,"code":"digest_mismatch"}`
	tests := []struct {
		name string
		idem bool
		body string
		want bool
	}{
		{"digest mismatch", true, mismatch, true},
		{"digest mismatch, not idempotent", false, mismatch, false},
		{"invalid application", true, `{"status":400,"code":"invalid_application"}`, false},
		{"not a problem", true, "bad request", false},
		{"empty", true, "", false},
		{"huge", true, strings.Repeat(" ", 20<<10) + mismatch, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if tt.idem {
				ctx = idempotent(ctx)
			}
			resp := &http.Response{StatusCode: 400, Body: io.NopCloser(strings.NewReader(tt.body))}
			got, err := checkRetry(ctx, resp, nil)
			if got != tt.want || err != nil {
				t.Fatalf("retry = %v, %v; want %v", got, err, tt.want)
			}
			rest, _ := io.ReadAll(resp.Body)
			if tt.idem && string(rest) != tt.body {
				t.Errorf("body after the check %q, want %q", rest, tt.body)
			}
		})
	}
}

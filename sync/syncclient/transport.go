package syncclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/hashicorp/go-retryablehttp"
)

// idempotentKey marks a request context as safe to retry: a GET, or a PUT
// by application UUID that carries an Idempotency-Key.
type idempotentKey struct{}

func idempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

// checkRetry retries only idempotent requests, and only on transport errors
// (not certificate errors), on 408, 425, 429, 500, 502, 503, 504 and on
// 400 digest_mismatch: the body was damaged in transit (sync.md §3 F5),
// and the same frozen body is sent again, freshly signed.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if ok, _ := ctx.Value(idempotentKey{}).(bool); !ok {
		return false, nil
	}
	if err != nil {
		if isPermanentTransportError(err) {
			return false, err
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	case http.StatusBadRequest:
		return isDigestMismatch(resp), nil
	}
	return false, nil
}

// maxMismatchPeek is how much of a 400 body isDigestMismatch reads.
const maxMismatchPeek = 16 << 10

// isDigestMismatch reports whether resp is a 400 problem digest_mismatch:
// the platform got a body that does not match the digest the request
// signed. The body read is put back, so the caller still decodes the
// problem when retries run out.
func isDigestMismatch(resp *http.Response) bool {
	if resp == nil || resp.StatusCode != http.StatusBadRequest || resp.Body == nil {
		return false
	}
	peek, err := io.ReadAll(io.LimitReader(resp.Body, maxMismatchPeek))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
	if err != nil {
		return false
	}
	var p protocol.Problem
	return json.Unmarshal(peek, &p) == nil && p.Code == protocol.CodeDigestMismatch
}

// isPermanentTransportError reports errors a retry cannot cure: TLS
// certificate problems (often a wrong device clock) and a bad URL.
func isPermanentTransportError(err error) bool {
	var (
		unknownAuth x509.UnknownAuthorityError
		invalid     x509.CertificateInvalidError
		hostname    x509.HostnameError
		verify      *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuth) || errors.As(err, &invalid) || errors.As(err, &hostname) || errors.As(err, &verify) {
		return true
	}
	return strings.Contains(err.Error(), "unsupported protocol scheme")
}

// fullJitter returns rand(0, min(ceiling, base·2^attempt)).
func fullJitter(base, ceiling time.Duration, attempt int, rnd func() float64) time.Duration {
	if base <= 0 || ceiling <= 0 {
		return 0
	}
	d := ceiling
	if attempt < 30 && base<<attempt > 0 && base<<attempt < ceiling {
		d = base << attempt
	}
	return time.Duration(rnd() * float64(d))
}

// retryAfter parses a Retry-After value (seconds or an HTTP date).
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 1<<31)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return t.Sub(now), true
}

// backoff is the per-request retryablehttp.Backoff: full jitter, or the
// server's Retry-After clamped to [1 s, ceiling].
func (c *Client) backoff(base, ceiling time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		now, _ := c.ServerNow() // an HTTP date is the platform's clock (clock.go)
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
			return min(max(d, time.Second), ceiling)
		}
	}
	return fullJitter(base, ceiling, attempt, c.rand)
}

// errorHandler hands the last response to the caller with a nil error when
// retries ran out on a status, so the caller reads its problem body.
func errorHandler(resp *http.Response, err error, tries int) (*http.Response, error) {
	if err == nil && resp != nil {
		return resp, nil
	}
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
	}
	if err == nil {
		err = errors.New("no response")
	}
	return nil, &attemptsError{tries: tries, err: err}
}

type attemptsError struct {
	tries int
	err   error
}

func (e *attemptsError) Error() string {
	return "after " + strconv.Itoa(e.tries) + " attempt(s): " + e.err.Error()
}
func (e *attemptsError) Unwrap() error { return e.err }

// leveledLogger adapts slog for retryablehttp. It passes on only the keys
// retryablehttp uses for method, URL (query stripped), error and timing;
// headers, bodies and tokens never reach it.
type leveledLogger struct{ l *slog.Logger }

var logKeys = map[string]bool{"method": true, "url": true, "error": true, "request": true, "timeout": true, "remaining": true}

func (a leveledLogger) log(level slog.Level, msg string, kv []any) {
	attrs := make([]any, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		if !logKeys[k] {
			continue
		}
		v := kv[i+1]
		if s, ok := v.(string); ok && (k == "url" || k == "request") {
			v = stripQuery(s)
		}
		attrs = append(attrs, k, v)
	}
	a.l.Log(context.Background(), level, "http: "+msg, attrs...)
}

// stripQuery drops a URL's query string (cursors are long, not useful in
// logs) from s, keeping any text after the URL.
func stripQuery(s string) string {
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s
	}
	if sp := strings.IndexByte(s[q:], ' '); sp >= 0 {
		return s[:q] + s[q+sp:]
	}
	return s[:q]
}

func (a leveledLogger) Error(msg string, kv ...any) { a.log(slog.LevelWarn, msg, kv) }
func (a leveledLogger) Warn(msg string, kv ...any)  { a.log(slog.LevelWarn, msg, kv) }
func (a leveledLogger) Info(msg string, kv ...any)  { a.log(slog.LevelInfo, msg, kv) }
func (a leveledLogger) Debug(msg string, kv ...any) { a.log(slog.LevelDebug, msg, kv) }

// newHTTPClient builds the retrying client.
func (c *Client) newHTTPClient() *retryablehttp.Client {
	hc := c.cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   20 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   2,
		}}
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	observed := *hc // the caller's client is not changed
	observed.Transport = dateObserver{next: next, clock: c.clock}
	hc = &observed
	if c.cfg.Key != nil {
		c.signer = &signer{next: hc.Transport, key: c.cfg.Key, keyID: c.cfg.DeviceID, now: c.signNow, log: c.log}
		hc.Transport = c.signer
	}
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       leveledLogger{c.log},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.RetryMax,
		CheckRetry:   checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: errorHandler,
	}
}

func defaultRand() float64 { return rand.Float64() }

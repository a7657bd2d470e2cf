package syncclient

import (
	"crypto/x509"
	"errors"
	"net/http"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// The server-anchored clock (sync.md §2.9, §3 F15). Sync correctness never
// reads the device's wall clock: cursors and versions are the platform's,
// and Run's waits are durations. What does need a time of day — "data as
// of …" staleness, the last successful sync, an HTTP-date Retry-After — is
// taken from the platform's clock: the Date of every answer anchors an
// estimate that then advances by a monotonic clock, so setting the
// device's clock forward a day, back a day or to 1970 changes nothing.

// serverClock estimates the platform's time.
type serverClock struct {
	mono func() time.Duration // monotonic: elapsed since a fixed origin

	mu     sync.Mutex
	ok     bool
	at     time.Duration // mono() when the anchor was taken
	server time.Time     // the platform's time then
}

// monotonic returns a monotonic clock: Go's time.Since keeps reading the
// monotonic clock whatever happens to the wall clock.
func monotonic() func() time.Duration {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }
}

// observe anchors the clock on an answer's Date (one-second resolution,
// so taken as its middle, at the midpoint of the round trip). A reading
// within a second of the estimate is ignored so it does not flutter.
func (k *serverClock) observe(date time.Time, sent, recv time.Duration) {
	mid := sent + (recv-sent)/2
	est := date.Add(500 * time.Millisecond)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ok {
		if d := est.Sub(k.server.Add(mid - k.at)); d < time.Second && d > -time.Second {
			return
		}
	}
	k.ok, k.at, k.server = true, mid, est.UTC()
}

// now returns the estimate of the platform's time, and false before any
// answer was heard.
func (k *serverClock) now() (time.Time, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.ok {
		return time.Time{}, false
	}
	return k.server.Add(k.mono() - k.at), true
}

// dateObserver is the innermost RoundTripper: it feeds every answer's Date
// to the clock.
type dateObserver struct {
	next  http.RoundTripper
	clock *serverClock
}

func (o dateObserver) RoundTrip(req *http.Request) (*http.Response, error) {
	sent := o.clock.mono()
	resp, err := o.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		o.clock.observe(d, sent, o.clock.mono())
	}
	return resp, nil
}

// ServerNow returns the client's estimate of the platform's current time,
// anchored on the Date of the last answers and advanced by a monotonic
// clock, so that jumps of the device's wall clock do not move it; the
// kiosk measures staleness ("data as of …") with it. Before any answer
// was heard it returns the device's clock and false.
func (c *Client) ServerNow() (time.Time, bool) {
	if t, ok := c.clock.now(); ok {
		return t, true
	}
	return c.cfg.Now(), false
}

// DataAge returns how old data as of asOf (a server time, as
// Progress.AsOf and the store's data-as-of are) is by the platform's
// clock, and false when no answer was heard yet to anchor it.
func (c *Client) DataAge(asOf time.Time) (time.Duration, bool) {
	now, ok := c.clock.now()
	if !ok {
		return 0, false
	}
	return now.Sub(asOf), true
}

// signNow is the clock requests are signed by: the platform's time once
// an answer was heard (the signer's own offset estimate then stays near
// zero), the device's clock before.
func (c *Client) signNow() time.Time {
	t, _ := c.ServerNow()
	return t
}

// A device clock far off also breaks TLS: the platform's certificate looks
// expired or not yet valid. That is not retried (isPermanentTransportError)
// and is reported as a wrong clock, for the operator to set it, instead of
// as an unreachable platform (sync.md §2.9).
func errClockWrong() error {
	return credit.Errorf(credit.EUNAVAILABLE, "本终端时钟可能有误（平台证书在本机时间下无效），请校准时钟。",
		"This terminal's clock seems wrong (the platform's certificate is not valid at its time); please set the clock.")
}

// certClockError reports whether err is a certificate found expired or
// not yet valid, what a wrong device clock produces.
func certClockError(err error) bool {
	var inv x509.CertificateInvalidError
	return errors.As(err, &inv) && inv.Reason == x509.Expired
}

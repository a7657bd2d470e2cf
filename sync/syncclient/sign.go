package syncclient

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// signer is the RoundTripper that signs every attempt afresh (new created
// time and nonce), so retryablehttp's retries are never replays. It keeps
// an estimate of the server clock's offset from the Date of every answer;
// a clock_skew refusal corrects the estimate from the server_time it
// carries, and the request is signed and sent once more.
type signer struct {
	next   http.RoundTripper
	key    ed25519.PrivateKey
	keyID  string
	now    func() time.Time
	log    *slog.Logger
	offset atomic.Int64 // server − local, nanoseconds
}

// maxProblemPeek is how much of a 401 body the signer reads to look for
// clock_skew.
const maxProblemPeek = 64 << 10

func (s *signer) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("syncclient: sign: read body: %w", err)
		}
		body = b
	}
	before := s.now()
	resp, err := s.send(req, body)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	peek, rerr := io.ReadAll(io.LimitReader(resp.Body, maxProblemPeek))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(peek))
	var p protocol.Problem
	if rerr != nil || json.Unmarshal(peek, &p) != nil {
		return resp, nil
	}
	switch {
	case p.Code == protocol.CodeClockSkew && p.ServerTime != nil:
		off := p.ServerTime.Sub(s.now())
		s.offset.Store(int64(off))
		s.log.Warn("clock skew: signing with the platform's time", "offset", off.Round(time.Second))
	case p.Code == protocol.CodeReplay:
		// The platform saw this attempt's nonce twice and did not act on
		// the second copy. net/http itself re-sends a request whose
		// connection closed before any answer (a PUT with an
		// Idempotency-Key counts as replayable) with the same signature;
		// signing afresh once more is what a retry would do.
		s.log.Warn("attempt refused as a replay; signing afresh")
	case s.now().Sub(before).Abs() > protocol.ClockSkewWindow:
		// Signed by a device clock far off (in 1970 the created time is
		// not even accepted as one), the attempt was refused; the answer's
		// Date has just anchored the clock s.now reads (clock.go), which
		// needs no offset.
		s.offset.Store(0)
		s.log.Warn("attempt signed with a wrong device clock; signing with the platform's time")
	default:
		return resp, nil
	}
	return s.send(req, body)
}

// send signs one attempt and sends it.
func (s *signer) send(req *http.Request, body []byte) (*http.Response, error) {
	var n [protocol.NonceBytes]byte
	if _, err := rand.Read(n[:]); err != nil {
		return nil, fmt.Errorf("syncclient: sign: nonce: %w", err)
	}
	r := req.Clone(req.Context())
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
		// The signature covers the body's digest, not the body: a body
		// damaged in transit is answered 400 digest_mismatch (sent again,
		// transport.go), not 401 (protocol/auth.go).
		r.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(body))
	}
	r.Header.Del("Authorization")
	sent := s.now()
	created := sent.Add(time.Duration(s.offset.Load()))
	r.Header.Set(protocol.HeaderSignature, protocol.Sign(s.key, r.Method, r.URL.RequestURI(), s.keyID, created, base64.RawURLEncoding.EncodeToString(n[:]), body))
	resp, err := s.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	s.observe(resp, sent)
	return resp, nil
}

// observe updates the offset estimate from the answer's Date (one-second
// resolution, taken at the midpoint of the round trip). Small changes are
// ignored so the estimate does not flutter.
func (s *signer) observe(resp *http.Response, sent time.Time) {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	recv := s.now()
	mid := sent.Add(recv.Sub(sent) / 2)
	off := d.Add(500 * time.Millisecond).Sub(mid)
	if diff := off - time.Duration(s.offset.Load()); diff > 2*time.Second || diff < -2*time.Second {
		s.offset.Store(int64(off))
	}
}

// ClockOffset returns the client's estimate of server time minus local
// time (zero when nothing was heard yet).
func (c *Client) ClockOffset() time.Duration {
	if t, ok := c.clock.now(); ok { // clock.go
		return t.Sub(c.cfg.Now())
	}
	if c.signer == nil {
		return 0
	}
	return time.Duration(c.signer.offset.Load())
}

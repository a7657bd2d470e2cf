package syncserver

import (
	"bytes"
	"io"
	"net/http"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// maxSignedBody caps the body the signature check reads (applications are
// 64 KiB, acks 4 KiB).
const maxSignedBody = 1 << 20

// verifySigned authenticates a request carrying Sync-Signature. It returns
// the device id, or writes the refusal and returns "". The signature is
// checked over the headers (the body's digest in Content-Digest, see
// protocol/auth.go); only then is the body read, compared with that
// digest and put back for the handler (checkBody).
func (s *Server) verifySigned(w http.ResponseWriter, r *http.Request, header string) string {
	refuse := func(status int, code, why, zh, en string) string {
		s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", code, "why", why, "remote", r.RemoteAddr)
		s.problem(w, r, protocol.NewProblem(status, code, code, credit.Errorf(credit.EUNAUTHORIZED, zh, en)))
		return ""
	}
	unauthorized := func(why string) string {
		return refuse(http.StatusUnauthorized, protocol.CodeUnauthorized, why, "本终端未获授权。", "This terminal is not authorised.")
	}
	sig, err := protocol.ParseSignatureHeader(header)
	if err != nil {
		return unauthorized("malformed signature")
	}
	now := s.now()
	created := time.Unix(sig.Created, 0)
	// After a restart the nonces seen before it are forgotten: only
	// requests signed since the start can be told apart from replays.
	earliest := now.Add(-protocol.ClockSkewWindow)
	if st := s.auth.started.Truncate(time.Second); st.After(earliest) {
		earliest = st
	}
	if created.Before(earliest) || created.After(now.Add(protocol.ClockSkewWindow)) {
		s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", protocol.CodeClockSkew,
			"device", sig.KeyID, "skew", created.Sub(now).Round(time.Second))
		p := protocol.NewProblem(http.StatusUnauthorized, protocol.CodeClockSkew, "clock skew",
			credit.Errorf(credit.EUNAUTHORIZED, "本终端时钟与平台相差过大。", "This terminal's clock is too far from the platform's."))
		p.ServerTime = &now
		s.problem(w, r, p)
		return ""
	}
	pub, revoked, found, err := s.deviceKey(r.Context(), sig.KeyID)
	switch {
	case err != nil:
		s.internal(w, r, "authenticate", err)
		return ""
	case !found:
		return unauthorized("unknown device")
	}
	digest, err := protocol.SignedDigest(r.Header.Get(protocol.HeaderContentDigest))
	if err != nil {
		return unauthorized("malformed content digest")
	}
	if !sig.VerifyDigest(pub, r.Method, r.URL.RequestURI(), digest) {
		return unauthorized("bad signature")
	}
	if revoked {
		return refuse(http.StatusForbidden, protocol.CodeDeviceRevoked, "revoked", "本终端已被吊销。", "This terminal has been revoked by the platform.")
	}
	// The nonce is spent before the body is read: a replay is refused
	// whatever body comes with it, and a retry after a digest mismatch is
	// signed afresh anyway.
	fresh, full := s.auth.nonces.add(sig.KeyID, sig.Nonce, created.Add(protocol.ClockSkewWindow), now)
	if full {
		s.problem(w, r, protocol.NewProblem(http.StatusServiceUnavailable, protocol.CodeInternal, "busy", nil))
		return ""
	}
	if !fresh {
		return refuse(http.StatusUnauthorized, protocol.CodeReplay, "replayed nonce", "重复的请求已被拒绝。", "A replayed request was refused.")
	}
	if !s.checkBody(w, r, sig.KeyID, digest) {
		return ""
	}
	return sig.KeyID
}

// checkBody reads the body of a request whose headers verified (up to
// maxSignedBody), compares it with the signed digest and puts it back for
// the handler. A body that differs, or ends early, was damaged in transit:
// 400 digest_mismatch, which the client sends again (sync.md §3 F5);
// nothing of it reaches the handler.
func (s *Server) checkBody(w http.ResponseWriter, r *http.Request, device string, digest []byte) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBody+1))
	if err == nil && len(body) > maxSignedBody {
		s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "too large",
			credit.Errorf(credit.EINVALID, "请求内容过大。", "The request body exceeds %d bytes.", maxSignedBody)))
		return false
	}
	if err != nil || !bytes.Equal(protocol.BodySHA256(body), digest) {
		s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", protocol.CodeDigestMismatch,
			"device", device, "bytes", len(body), "read_error", err != nil)
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeDigestMismatch, "digest mismatch",
			credit.Errorf(credit.EINVALID, "请求内容在传输中损坏或不完整，将重新发送。", "The request body was damaged or cut in transit (it does not match its Content-Digest); it will be sent again.")))
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// authState is the server's authentication state in memory.
type authState struct {
	started time.Time
	nonces  nonceCache
}

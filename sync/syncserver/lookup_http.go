package syncserver

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// withLookup serves the report registry: PUT /sync/v1/reports/{report_no}
// (a signed device request, through authenticate) and the public
// /verify/v1 (GET lookup by number and code, POST a QR text), rate-limited
// per client IP. Every other request goes to next.
func (s *Server) withLookup(next http.Handler) http.Handler {
	lim := newTokenBucket(lookupBurst, lookupEvery)
	mux := http.NewServeMux()
	mux.Handle("PUT "+protocol.PathReports+"{no}", s.authenticate(http.HandlerFunc(s.putReport)))
	mux.Handle("GET "+protocol.PathVerify, s.limited(lim, s.getLookup))
	mux.Handle("POST "+protocol.PathVerify, s.limited(lim, s.postVerify))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PathVerify || strings.HasPrefix(r.URL.Path, protocol.PathReports) {
			mux.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limited answers 429 when the client IP has no token left.
func (s *Server) limited(lim *tokenBucket, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if ok, wait := lim.allow(ip, s.now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			s.problem(w, r, protocol.NewProblem(http.StatusTooManyRequests, protocol.CodeRateLimited, "too many requests",
				credit.Errorf(credit.EUNAVAILABLE, "查询过于频繁，请稍后再试。", "Too many lookups; try again later.")))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	})
}

// putReport registers an issued report for the signed device.
func (s *Server) putReport(w http.ResponseWriter, r *http.Request) {
	device, no := deviceOf(r), r.PathValue("no")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, protocol.MaxReportRecordBytes))
	if err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "too large",
			credit.Errorf(credit.EINVALID, "报告登记内容过大。", "The report record exceeds %d bytes.", protocol.MaxReportRecordBytes)))
		return
	}
	var rec protocol.ReportRecordV1
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields() // no field may smuggle a name or a full ID in
	if err := dec.Decode(&rec); err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad report record",
			credit.Errorf(credit.EINVALID, "报告登记内容格式错误。", "The report record is not valid JSON of the expected fields: %v", err)))
		return
	}
	created, err := s.RegisterReport(r.Context(), device, no, rec)
	switch credit.ErrorCode(err) {
	case "":
	case credit.EINVALID:
		s.log.Info("report registration refused", "device", device, "code", protocol.CodeBadRequest)
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "invalid report record", err))
		return
	case credit.ECONFLICT:
		s.log.Warn("report number reused with other data", "device", device)
		s.problem(w, r, protocol.NewProblem(http.StatusConflict, protocol.CodeConflict, "conflict", err))
		return
	default:
		s.internal(w, r, "register report", err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.log.Info("report registered", "device", device)
	}
	writeJSON(w, status, map[string]string{"report_no": no})
}

// getLookup answers GET /verify/v1?no=&code=.
func (s *Server) getLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a, err := s.Lookup(r.Context(), strings.TrimSpace(q.Get("no")), q.Get("code"))
	if err != nil {
		s.internal(w, r, "lookup", err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// postVerify answers POST /verify/v1 with the QR text as the body (plain
// text, or JSON {"text": …}).
func (s *Server) postVerify(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxQRText+64))
	if err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "too large",
			credit.Errorf(credit.EINVALID, "二维码内容过长。", "The QR text exceeds %d bytes.", maxQRText)))
		return
	}
	text := string(body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), protocol.ContentTypeJSON) {
		var in struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad request",
				credit.Errorf(credit.EINVALID, "请求格式错误。", "The body is not JSON {\"text\": …}.")))
			return
		}
		text = in.Text
	}
	v, err := s.VerifyText(r.Context(), strings.TrimRight(text, "\r\n"))
	switch {
	case errors.Is(err, ErrNoTrustList), errors.Is(err, ErrNoTrustVerifier):
		s.problem(w, r, protocol.NewProblem(http.StatusServiceUnavailable, protocol.CodeNoTrustList, "no trust list", err))
		return
	case err != nil:
		s.internal(w, r, "verify", err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// maxQRText is the longest QR text accepted (app/report.MaxTextLen).
const maxQRText = 4096

package syncserver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// maxOfficerBody caps an officer request body (reasons and a record).
const maxOfficerBody = 64 << 10

type officerKey struct{}

// withPlatform serves /platform/v1 (the officer API, authenticated by
// Options.Officers) and hands every other request to next.
func (s *Server) withPlatform(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+protocol.PathPlatformApplications, s.opsList(false))
	mux.HandleFunc("GET "+protocol.PathPlatformOverdue, s.opsList(true))
	mux.HandleFunc("POST "+protocol.PathObjectionLabel, s.opsApp(func(ctx context.Context, officer, id string, _ []byte) (ApplicationState, error) {
		return s.ApplyLabel(ctx, officer, id)
	}))
	mux.HandleFunc("POST "+protocol.PathObjectionReview, s.opsApp(func(ctx context.Context, officer, id string, _ []byte) (ApplicationState, error) {
		return s.StartReview(ctx, officer, id)
	}))
	mux.HandleFunc("POST "+protocol.PathObjectionDecision, s.opsApp(func(ctx context.Context, officer, id string, body []byte) (ApplicationState, error) {
		var d protocol.ObjectionDecisionV1
		if err := decodeOfficerBody(body, &d); err != nil {
			return ApplicationState{}, err
		}
		var rec *credit.Record
		if d.Record != nil {
			r := protocol.RecordFromWire(*d.Record, 0)
			rec = &r
		}
		return s.DecideObjection(ctx, officer, id, d.Corrected, d.Reasons, rec)
	}))
	mux.HandleFunc("POST "+protocol.PathRestorationAccept, s.opsApp(func(ctx context.Context, officer, id string, _ []byte) (ApplicationState, error) {
		return s.AcceptRestoration(ctx, officer, id)
	}))
	mux.HandleFunc("POST "+protocol.PathRestorationReject, s.opsApp(func(ctx context.Context, officer, id string, body []byte) (ApplicationState, error) {
		var d protocol.ReasonsV1
		if err := decodeOfficerBody(body, &d); err != nil {
			return ApplicationState{}, err
		}
		return s.RejectRestoration(ctx, officer, id, d.Reasons)
	}))
	mux.HandleFunc("POST "+protocol.PathRestorationDecision, s.opsApp(func(ctx context.Context, officer, id string, body []byte) (ApplicationState, error) {
		var d protocol.RestorationDecisionV1
		if err := decodeOfficerBody(body, &d); err != nil {
			return ApplicationState{}, err
		}
		return s.DecideRestoration(ctx, officer, id, d.Restored, d.Reasons)
	}))
	mux.HandleFunc("POST "+protocol.PathApplicationClose, s.opsApp(func(ctx context.Context, officer, id string, body []byte) (ApplicationState, error) {
		var d protocol.ReasonsV1
		if err := decodeOfficerBody(body, &d); err != nil {
			return ApplicationState{}, err
		}
		return s.CloseApplication(ctx, officer, id, d.Reasons)
	}))
	mux.HandleFunc("POST "+protocol.PathRecordRevoke, s.opsRevoke)
	s.evidenceRoutes(mux) // blobs_evidence.go: an application's evidence files
	mux.HandleFunc(protocol.PlatformPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, protocol.NewProblem(http.StatusNotFound, protocol.CodeNotFound, "not found",
			credit.Errorf(credit.ENOTFOUND, "没有该平台操作。", "There is no such platform operation.")))
	})
	platform := s.authenticateOfficer(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == protocol.PlatformPrefix || strings.HasPrefix(r.URL.Path, protocol.PlatformPrefix+"/") {
			platform.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticateOfficer maps "Authorization: Bearer <token>" to an officer
// id through Options.Officers; device tokens are not officer tokens.
func (s *Server) authenticateOfficer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		officer := ""
		if ok && token != "" {
			for t, o := range s.opts.Officers {
				if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
					officer = o
				}
			}
		}
		if officer == "" {
			s.log.Warn("unauthenticated officer request", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
			s.problem(w, r, protocol.NewProblem(http.StatusUnauthorized, protocol.CodeUnauthorized, "unauthorized",
				credit.Errorf(credit.EUNAUTHORIZED, "未获授权的平台操作。", "This platform operation needs an officer's authorisation.")))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), officerKey{}, officer)))
	})
}

func officerOf(r *http.Request) string { o, _ := r.Context().Value(officerKey{}).(string); return o }

// opsApp adapts an operation on application {id} to HTTP.
func (s *Server) opsApp(op func(ctx context.Context, officer, id string, body []byte) (ApplicationState, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := readOfficerBody(w, r)
		if err != nil {
			s.opsError(w, r, err)
			return
		}
		st, err := op(r.Context(), officerOf(r), r.PathValue("id"), body)
		if err != nil {
			s.opsError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, stateToWire(st))
	}
}

func (s *Server) opsRevoke(w http.ResponseWriter, r *http.Request) {
	body, err := readOfficerBody(w, r)
	if err != nil {
		s.opsError(w, r, err)
		return
	}
	var d protocol.ReasonsV1
	if err := decodeOfficerBody(body, &d); err != nil {
		s.opsError(w, r, err)
		return
	}
	rv, err := s.RevokeBasis(r.Context(), officerOf(r), r.PathValue("id"), d.Reasons)
	if err != nil {
		s.opsError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, protocol.RevocationV1{RecordID: rv.RecordID, Version: rv.Version, WithdrawDue: rv.WithdrawDue})
}

func (s *Server) opsList(overdueOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		list := s.ApplicationStates
		if overdueOnly {
			list = s.OverdueApplications
		}
		all, err := list(r.Context())
		if err != nil {
			s.opsError(w, r, err)
			return
		}
		out := make([]protocol.PlatformApplicationV1, 0, len(all))
		for _, a := range all {
			out = append(out, stateToWire(a))
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// opsError answers err as a problem: 404 unknown, 409 an illegal
// transition, 400 invalid input (e.g. missing written reasons), else 500.
func (s *Server) opsError(w http.ResponseWriter, r *http.Request, err error) {
	switch credit.ErrorCode(err) {
	case credit.ENOTFOUND:
		s.problem(w, r, protocol.NewProblem(http.StatusNotFound, protocol.CodeNotFound, "not found", err))
	case credit.ECONFLICT:
		s.problem(w, r, protocol.NewProblem(http.StatusConflict, protocol.CodeConflict, "illegal transition", err))
	case credit.EINVALID:
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad request", err))
	default:
		s.internal(w, r, "platform "+r.URL.Path, err)
	}
}

func readOfficerBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxOfficerBody)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, credit.Errorf(credit.EINVALID, "请求内容过大。", "The request exceeds %d bytes.", maxOfficerBody)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeOfficerBody decodes a JSON body into v; an empty body leaves v as
// it is.
func decodeOfficerBody(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return credit.Errorf(credit.EINVALID, "请求内容格式错误。", "The request body is not valid: %v", err)
	}
	if dec.More() {
		return credit.Errorf(credit.EINVALID, "请求内容格式错误。", "The request body has data after the JSON object.")
	}
	return nil
}

func stateToWire(a ApplicationState) protocol.PlatformApplicationV1 {
	w := protocol.PlatformApplicationV1{ID: a.ID, Kind: string(a.Kind), DeviceID: a.DeviceID, RecordID: a.RecordID,
		Status: string(a.Status), Note: a.Note, ReceivedAt: a.ReceivedAt}
	if p := a.Pending; p != nil {
		w.Pending = &protocol.DeadlineV1{Name: p.Name, Due: p.Due, Late: p.Late, DaysLate: p.WorkingDaysLate, Provisional: p.Provisional}
	}
	if l := a.Label; l != nil {
		w.Label = &protocol.LabelReportV1{At: l.At, Due: l.Due, Late: l.Late, DaysLate: l.WorkingDaysLate}
	}
	return w
}

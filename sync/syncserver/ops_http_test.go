package syncserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

const officerToken = "officer-token-0001"

func opsPath(p, id string) string { return strings.Replace(p, "{id}", id, 1) }

func TestPlatformHTTP(t *testing.T) {
	r := newOpsRig(t, 2)
	hs := httptest.NewServer(r.s.Handler())
	defer hs.Close()
	obj := r.receive(credit.KindObjection, "RS000", t0)
	rest := r.receive(credit.KindRestoration, "RS001", t0)
	officerC := client{t, hs.URL, officerToken}
	deviceC := client{t, hs.URL, tokA}
	nobody := client{t, hs.URL, ""}

	tests := []struct {
		name   string
		c      client
		method string
		path   string
		body   string
		status int
		code   string
		want   string // status after, for 200 answers on applications
	}{
		{"no token", nobody, "POST", opsPath(protocol.PathObjectionLabel, obj), "", 401, protocol.CodeUnauthorized, ""},
		{"device token", deviceC, "POST", opsPath(protocol.PathObjectionLabel, obj), "", 401, protocol.CodeUnauthorized, ""},
		{"token in the URL", nobody, "POST", opsPath(protocol.PathObjectionLabel, obj) + "?token=" + officerToken, "", 401, protocol.CodeUnauthorized, ""},
		{"unknown operation", officerC, "POST", protocol.PlatformPrefix + "/frobnicate", "", 404, protocol.CodeNotFound, ""},
		{"unknown application", officerC, "POST", opsPath(protocol.PathObjectionLabel, credit.NewUUID()), "", 404, protocol.CodeNotFound, ""},
		{"review too early", officerC, "POST", opsPath(protocol.PathObjectionReview, obj), "", 409, protocol.CodeConflict, ""},
		{"label", officerC, "POST", opsPath(protocol.PathObjectionLabel, obj), "", 200, "", "labelled"},
		{"review", officerC, "POST", opsPath(protocol.PathObjectionReview, obj), "", 200, "", "under_review"},
		{"bad body", officerC, "POST", opsPath(protocol.PathObjectionDecision, obj), `{"corrected":"no"}`, 400, protocol.CodeBadRequest, ""},
		{"unknown field", officerC, "POST", opsPath(protocol.PathObjectionDecision, obj), `{"corected":true}`, 400, protocol.CodeBadRequest, ""},
		{"no reasons", officerC, "POST", opsPath(protocol.PathObjectionDecision, obj), `{"corrected":false}`, 400, protocol.CodeBadRequest, ""},
		{"not corrected", officerC, "POST", opsPath(protocol.PathObjectionDecision, obj), `{"corrected":false,"reasons":"认定无误。"}`, 200, "", "not_corrected"},
		{"close", officerC, "POST", opsPath(protocol.PathApplicationClose, obj), `{}`, 200, "", "closed"},
		{"accept an objection", officerC, "POST", opsPath(protocol.PathRestorationAccept, obj), "", 409, protocol.CodeConflict, ""},
		{"accept", officerC, "POST", opsPath(protocol.PathRestorationAccept, rest), "", 200, "", "accepted"},
		{"reject after acceptance", officerC, "POST", opsPath(protocol.PathRestorationReject, rest), `{"reasons":"x"}`, 409, protocol.CodeConflict, ""},
		{"restore", officerC, "POST", opsPath(protocol.PathRestorationDecision, rest), `{"restored":true}`, 200, "", "restored"},
		{"list", officerC, "GET", protocol.PathPlatformApplications, "", 200, "", ""},
		{"overdue", officerC, "GET", protocol.PathPlatformOverdue, "", 200, "", ""},
		{"revoke unknown", officerC, "POST", opsPath(protocol.PathRecordRevoke, "RS001"), "", 404, protocol.CodeNotFound, ""},
		{"revoke", officerC, "POST", opsPath(protocol.PathRecordRevoke, "RS000"), `{"reasons":"法院判决撤销。"}`, 200, "", ""},
		{"officer token on the device API", officerC, "GET", protocol.PathHello, "", 401, protocol.CodeUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := tt.c.do(tt.method, tt.path, []byte(tt.body), nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if tt.code != "" {
				p := problemOf(t, b)
				if p.Code != tt.code || p.Detail == "" || p.DetailEN == "" {
					t.Fatalf("problem %+v, want code %s with zh and en messages", p, tt.code)
				}
				return
			}
			if strings.HasSuffix(tt.path, "/revoke") {
				// The Art. 48 one-day deadline comes back with the tombstone.
				var rv protocol.RevocationV1
				if err := json.Unmarshal(b, &rv); err != nil || rv.RecordID != "RS000" || !rv.WithdrawDue.Equal(t0.Add(credit.WithdrawalPeriod)) {
					t.Fatalf("revocation %s (%v)", b, err)
				}
			}
			if tt.want != "" {
				var a protocol.PlatformApplicationV1
				if err := json.Unmarshal(b, &a); err != nil || a.Status != tt.want {
					t.Fatalf("answer %s (%v), want status %s", b, err, tt.want)
				}
			}
		})
	}
	// The listing carries both applications, the objection's label report
	// and no pending deadline once decided.
	_, b := officerC.do("GET", protocol.PathPlatformApplications, nil, nil)
	var list []protocol.PlatformApplicationV1
	if err := json.Unmarshal(b, &list); err != nil || len(list) != 2 {
		t.Fatalf("list %s (%v)", b, err)
	}
	if list[0].ID != obj || list[0].Label == nil || list[0].Label.Late || list[0].Pending != nil || list[0].RecordID != "RS000" {
		t.Fatalf("objection in the list: %+v", list[0])
	}
	if list[1].Status != "restored" || list[1].Pending != nil {
		t.Fatalf("restoration in the list: %+v", list[1])
	}
	_, b = officerC.do("GET", protocol.PathPlatformOverdue, nil, nil)
	if string(b) != "[]\n" {
		t.Fatalf("overdue %s", b)
	}
}

func TestPlatformHTTPBodyLimit(t *testing.T) {
	r := newOpsRig(t, 1)
	hs := httptest.NewServer(r.s.Handler())
	defer hs.Close()
	rest := r.receive(credit.KindRestoration, "RS000", t0)
	big := `{"reasons":"` + strings.Repeat("长", maxOfficerBody) + `"}`
	resp, b := client{t, hs.URL, officerToken}.do("POST", opsPath(protocol.PathRestorationReject, rest), []byte(big), nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, b)
	}
	if st, _ := r.s.ApplicationState(t.Context(), rest); st.Status != credit.StatusReceived {
		t.Fatalf("status %s after a refused request", st.Status)
	}
}

func FuzzDecodeOfficerBody(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"corrected":true}`, `{"corrected":false,"reasons":"理由","record":{"id":"R1","subject_id":"S1"}}`,
		`{"restored":true}`, `{"reasons":""}`, `[]`, `{"x":1}`, `{} {}`, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var d protocol.ObjectionDecisionV1
		err := decodeOfficerBody(body, &d)
		if err != nil && credit.ErrorCode(err) != credit.EINVALID {
			t.Fatalf("decode error is not a user-facing EINVALID: %v", err)
		}
		var r protocol.ReasonsV1
		if err := decodeOfficerBody(body, &r); err == nil && r.Reasons != "" {
			if _, err := json.Marshal(r); err != nil {
				t.Fatal(err)
			}
		}
	})
}

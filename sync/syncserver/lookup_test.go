package syncserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
)

const reportNo = "620102K1-20261127-000001"

func (r trustRig) sign(t *testing.T, no string) report.Signed {
	t.Helper()
	sg, err := report.Sign(r.device, report.Claims{ReportID: no, IssuedAt: t0.Add(-time.Minute), Expires: t0.Add(30 * 24 * time.Hour),
		Type: report.NaturalPersonReport, SubjectName: "张堃", SubjectIDDisplay: "6201**********123X", Pages: 2, Summary: []uint64{1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func (r trustRig) record(sg report.Signed) protocol.ReportRecordV1 {
	return protocol.ReportRecordV1{Code: sg.Code, KID: r.kid(), IssuedAt: sg.Claims.IssuedAt, Expires: sg.Claims.Expires,
		ReportType: int(sg.Claims.Type), SubjectIDDisplay: sg.Claims.SubjectIDDisplay}
}

func putReport(t *testing.T, c client, no string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, rb := c.do("PUT", protocol.PathReports+no, b, map[string]string{"Content-Type": protocol.ContentTypeJSON})
	if resp.StatusCode >= 300 {
		return resp.StatusCode, problemOf(t, rb).Code
	}
	return resp.StatusCode, ""
}

func getJSON(t *testing.T, method, u, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == 200 && out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestRegisterReport(t *testing.T) {
	r := newTrustRig(t)
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	base := newHTTPServer(t, s)
	a, b := client{t: t, base: base, token: tokA}, client{t: t, base: base, token: tokB}
	rec := r.record(r.sign(t, reportNo))
	other := rec
	other.Code = "00000000"
	unmasked := rec
	unmasked.SubjectIDDisplay = "620102199001011234"
	withName := map[string]any{"code": rec.Code, "kid": rec.KID, "iat": rec.IssuedAt, "exp": rec.Expires,
		"report_type": 2, "subject_id_display": rec.SubjectIDDisplay, "subject_name": "张堃"}
	cases := []struct {
		name   string
		c      client
		no     string
		body   any
		status int
		code   string
	}{
		{"first", a, reportNo, rec, 201, ""},
		{"replay", a, reportNo, rec, 200, ""},
		{"other data", a, reportNo, other, 409, protocol.CodeConflict},
		{"other device", b, reportNo, rec, 409, protocol.CodeConflict},
		{"unmasked id", a, "620102K1-20261127-000002", unmasked, 400, protocol.CodeBadRequest},
		{"a name smuggled in", a, "620102K1-20261127-000003", withName, 400, protocol.CodeBadRequest},
		{"bad number", a, "%20x", rec, 400, protocol.CodeBadRequest},
		{"no credentials", client{t: t, base: base}, "620102K1-20261127-000004", rec, 401, protocol.CodeUnauthorized},
	}
	for _, tc := range cases {
		if st, code := putReport(t, tc.c, tc.no, tc.body); st != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, st, code, tc.status, tc.code)
		}
	}
}

func TestLookupAndVerify(t *testing.T) {
	r := newTrustRig(t)
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	base := newHTTPServer(t, s)
	sg, unregistered := r.sign(t, reportNo), r.sign(t, "620102K1-20261127-000009")
	if st := getJSON(t, "POST", base+protocol.PathVerify, sg.Text, nil); st != http.StatusServiceUnavailable {
		t.Fatalf("verify before any trust list: %d", st)
	}
	if _, _, err := s.PublishTrustList(t.Context(), r.list(t, 1, report.KeyActive), r.rootPub()); err != nil {
		t.Fatal(err)
	}
	if st, _ := putReport(t, client{t: t, base: base, token: tokA}, reportNo, r.record(sg)); st != 201 {
		t.Fatalf("register %d", st)
	}
	lookup := func(no, code string) (protocol.LookupV1, []byte) {
		var a protocol.LookupV1
		st := getJSON(t, "GET", base+protocol.PathVerify+"?"+url.Values{"no": {no}, "code": {code}}.Encode(), "", &a)
		if st != 200 {
			t.Fatalf("lookup %d", st)
		}
		b, _ := json.Marshal(a)
		return a, b
	}
	known, _ := lookup(reportNo, sg.Code)
	if known.Status != protocol.LookupKnown || known.SubjectIDDisplay != "6201**********123X" || known.Office != "城关区信用中心" || known.ReportType != 2 {
		t.Fatalf("known: %+v", known)
	}
	if low, _ := lookup(reportNo, strings.ToLower(sg.Code)); low.Status != protocol.LookupKnown {
		t.Fatalf("lower-case code: %+v", low)
	}
	// A wrong code and a number that does not exist answer alike.
	_, wrong := lookup(reportNo, "00000000")
	_, missing := lookup("620102K1-20261127-999999", sg.Code)
	_, bad := lookup(reportNo, "not a code")
	if !bytes.Equal(wrong, missing) || !bytes.Equal(wrong, bad) || !strings.Contains(string(wrong), `"status":"unknown"`) {
		t.Fatalf("unknown answers differ:\n%s\n%s\n%s", wrong, missing, bad)
	}

	verify := func(text string) protocol.VerifyV1 {
		var v protocol.VerifyV1
		if st := getJSON(t, "POST", base+protocol.PathVerify, text, &v); st != 200 {
			t.Fatalf("verify %d", st)
		}
		return v
	}
	altered := []byte(sg.Text)
	altered[len(altered)/2] ^= 1
	for _, tc := range []struct {
		name, text, status, registry string
	}{
		{"valid and registered", sg.Text, "VALID", protocol.LookupKnown},
		{"valid but never registered", unregistered.Text, "VALID", protocol.LookupUnknown},
		{"malformed", "hello", "MALFORMED", ""},
		{"altered", string(altered), "", ""},
	} {
		v := verify(tc.text)
		if tc.status != "" && v.Status != tc.status || v.Registry != tc.registry || v.TrustListSeq != 1 {
			t.Errorf("%s: %+v", tc.name, v)
		}
		if tc.name == "altered" && v.Status == "VALID" {
			t.Errorf("altered text verified")
		}
	}
	// Revocation through a new trust list.
	if _, _, err := s.PublishTrustList(t.Context(), r.list(t, 2, report.KeyActive, reportNo), r.rootPub()); err != nil {
		t.Fatal(err)
	}
	if a, _ := lookup(reportNo, sg.Code); a.Status != protocol.LookupRevoked {
		t.Fatalf("revoked: %+v", a)
	}
	if v := verify(sg.Text); v.Status != "REPORT_REVOKED" || v.Registry != protocol.LookupRevoked || v.ExitCode != 25 {
		t.Fatalf("revoked verify: %+v", v)
	}
}

func TestLookupRateLimited(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	base := newHTTPServer(t, s)
	for i := range lookupBurst + 1 {
		st := getJSON(t, "GET", base+protocol.PathVerify+"?no=X&code=Y", "", nil)
		if want := map[bool]int{true: 429, false: 200}[i == lookupBurst]; st != want {
			t.Fatalf("request %d: %d, want %d", i, st, want)
		}
	}
}

func TestTokenBucket(t *testing.T) {
	tb := newTokenBucket(2, time.Second)
	steps := []struct {
		at   time.Duration
		key  string
		want bool
	}{
		{0, "a", true}, {0, "a", true}, {0, "a", false}, {0, "b", true},
		{500 * time.Millisecond, "a", false}, {time.Second, "a", true}, {time.Second, "a", false},
		{10 * time.Second, "a", true}, {10 * time.Second, "a", true}, {10 * time.Second, "a", false},
	}
	for i, st := range steps {
		if ok, _ := tb.allow(st.key, t0.Add(st.at)); ok != st.want {
			t.Fatalf("step %d: %v", i, ok)
		}
	}
}

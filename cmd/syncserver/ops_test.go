package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// platformWithApplications makes a platform database holding records R1..R3
// of one subject and, received from a device over HTTP, an objection
// against R1, a restoration of R2 and an objection against R3 filed 30 days
// ago (overdue). It returns the database path and the three ids.
func platformWithApplications(t *testing.T) (db, obj, rest, old string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "platform.db")
	ctx := t.Context()
	const token = "device-token-0001"
	s, err := syncserver.Open(ctx, db, syncserver.Options{Devices: map[string]string{token: "KIOSK-1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	subj := credit.Subject{ID: "91620100MA0000001X", Kind: credit.LegalPerson, Name: "兰州某公司", Version: 1}
	var recs []credit.Record
	for _, id := range []string{"R1", "R2", "R3"} {
		recs = append(recs, credit.Record{ID: id, SubjectID: subj.ID, Category: credit.CategoryUntrustworthy, Title: "行政处罚",
			SourceUnit: "兰州市市场监督管理局", DecisionDate: time.Date(2026, 3, 2, 0, 0, 0, 0, credit.China), Version: 1})
	}
	if err := s.PutSubjects(ctx, []credit.Subject{subj}, recs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	put := func(kind credit.ApplicationKind, v any, id string) {
		body, _ := json.Marshal(v)
		req, _ := http.NewRequestWithContext(ctx, "PUT", hs.URL+protocol.PathApplications+id, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(protocol.HeaderIdempotencyKey, `"`+id+`"`)
		req.Header.Set(protocol.HeaderApplicationKind, string(kind))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("PUT %s: HTTP %d", kind, resp.StatusCode)
		}
	}
	now := time.Now()
	objection := func(record string, at time.Time) string {
		o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: subj.ID, RecordID: record,
			Type: credit.ObjWrongInfo, Statement: "文书号有误。", ReceivedAt: at})
		put(credit.KindObjection, o, o.ID)
		return o.ID
	}
	obj = objection("R1", now)
	r := credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: credit.NewUUID(), SubjectID: subj.ID, RecordID: "R2",
		Performance: "罚款已缴清。", Committed: true, ReceivedAt: now})
	put(credit.KindRestoration, r, r.ID)
	old = objection("R3", now.AddDate(0, 0, -30))
	return db, obj, r.ID, old
}

func TestOfficerCommands(t *testing.T) {
	db, obj, rest, old := platformWithApplications(t)
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"label needs id", []string{"label", "--db", db}, 2, "", "--id"},
		{"review too early", []string{"review", "--db", db, "--id", obj}, 1, "", "cannot become"},
		{"label", []string{"label", "--db", db, "--id", obj, "--officer", "OFF-1"}, 0, "is now labelled", ""},
		{"label report", []string{"label", "--db", db, "--id", old}, 0, "working day(s) late", ""},
		{"review", []string{"review", "--db", db, "--id", obj}, 0, "is now under_review", ""},
		{"decide both", []string{"decide", "--db", db, "--id", obj, "--corrected", "--not-corrected"}, 2, "", "exactly one"},
		{"decide neither", []string{"decide", "--db", db, "--id", obj}, 2, "", "exactly one"},
		{"not corrected without reasons", []string{"decide", "--db", db, "--id", obj, "--not-corrected"}, 1, "", "Written reasons"},
		{"record without corrected", []string{"decide", "--db", db, "--id", obj, "--not-corrected", "--reasons", "x", "--record", "r.json"}, 2, "", "--record"},
		{"not corrected", []string{"decide", "--db", db, "--id", obj, "--not-corrected", "--reasons", "经核查，认定无误。"}, 0, "is now not_corrected", ""},
		{"close", []string{"close", "--db", db, "--id", obj}, 0, "is now closed", ""},
		{"restoration no verb", []string{"restoration"}, 2, "", "accept"},
		{"restoration bad verb", []string{"restoration", "approve", "--db", db, "--id", rest}, 2, "", "unknown action"},
		{"restoration reject without reasons", []string{"restoration", "reject", "--db", db, "--id", rest}, 1, "", "Written reasons"},
		{"restoration accept", []string{"restoration", "accept", "--db", db, "--id", rest}, 0, "is now accepted", ""},
		{"restoration decide neither", []string{"restoration", "decide", "--db", db, "--id", rest}, 2, "", "exactly one"},
		{"restoration restored", []string{"restoration", "decide", "--db", db, "--id", rest, "--restored"}, 0, "is now restored", ""},
		{"revoke needs record", []string{"revoke", "--db", db}, 2, "", "--record"},
		{"revoke restored record", []string{"revoke", "--db", db, "--record", "R2"}, 1, "", "no record"},
		{"revoke", []string{"revoke", "--db", db, "--record", "R1", "--note", "复议撤销"}, 0, "devices must delete it by", ""}, // R1: its objection is closed already
		{"overdue", []string{"overdue", "--db", db}, 0, old, ""},
		{"overdue all", []string{"overdue", "--db", db, "--all"}, 0, "decision due", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	_, out, _ := run(t, "overdue", "--db", db)
	if !strings.Contains(out, "LATE") || strings.Contains(out, obj) || strings.Contains(out, rest) {
		t.Fatalf("overdue lists:\n%s", out)
	}
}

func TestServeOfficerAPI(t *testing.T) {
	db, obj, _, _ := platformWithApplications(t)
	officers := filepath.Join(t.TempDir(), "officers")
	if err := os.WriteFile(officers, []byte("# platform officers\nofficer-token-000000001=OFF-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte("short=OFF-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--officers", bad); code != 1 || !strings.Contains(errs, "16 characters") {
		t.Fatalf("serve with a bad officers file: %d %s", code, errs)
	}
	base, stop := serve(t, db, "--officers", officers)
	post := func(token string) int {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", base+strings.Replace(protocol.PathObjectionLabel, "{id}", obj, 1), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("officer-token-000000002"); got != http.StatusUnauthorized {
		t.Errorf("unknown officer: HTTP %d", got)
	}
	if got := post("officer-token-000000001"); got != http.StatusOK {
		t.Errorf("officer label: HTTP %d", got)
	}
	stop()
}

func TestParseOfficers(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		ok       bool
	}{
		{"empty", "", 0, true},
		{"comments and blanks", "# x\n\n  officer-token-000000001 = OFF-1 \n", 1, true},
		{"two", "officer-token-000000001=A\nofficer-token-000000002=B\n", 2, true},
		{"no equals", "officer-token-000000001\n", 0, false},
		{"short token", "abc=A\n", 0, false},
		{"no id", "officer-token-000000001=\n", 0, false},
		{"duplicate", "officer-token-000000001=A\nofficer-token-000000001=B\n", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOfficers(strings.NewReader(tt.in))
			if (err == nil) != tt.ok || len(got) != tt.n {
				t.Fatalf("parseOfficers = %v, %v", got, err)
			}
		})
	}
}

func FuzzParseOfficers(f *testing.F) {
	f.Add("officer-token-000000001=OFF-1\n# c\n")
	f.Add("=\n")
	f.Add("a=b=c\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseOfficers(strings.NewReader(in))
		if err != nil {
			return
		}
		for tok, id := range got {
			if len(tok) < 16 || id == "" || strings.TrimSpace(tok) != tok {
				t.Fatalf("accepted %q=%q", tok, id)
			}
		}
	})
}

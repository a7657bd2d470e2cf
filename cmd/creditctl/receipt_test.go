package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

const (
	objectionID   = "3f2a9c01-7b4e-4d2a-9c11-0a1b2c3d4e5f"
	restorationID = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d"
)

// seedApplications adds an objection and a restoration to a seeded store.
func seedApplications(t *testing.T) (path string, o credit.Objection, r credit.Restoration) {
	t.Helper()
	path = seedStore(t)
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o = credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: objectionID, SubjectID: personNo, SubjectName: "王堃", RecordID: "r1",
		Type: credit.ObjWrongInfo, Statement: "罚款已缴清，记录未更新。", Contact: "13800000000", Channel: "620102K1", ReceivedAt: testNow.Add(-time.Hour)})
	if err := db.SaveObjection(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	r = credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: restorationID, SubjectID: personNo, SubjectName: "王堃", RecordID: "r1",
		Performance: "已缴清罚款。", Committed: true, Channel: "620102K1", ReceivedAt: testNow.Add(-time.Hour)})
	if err := db.SaveRestoration(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	return path, o, r
}

// TestReceiptCommand prints both kinds of receipt from the store and checks
// each through paper: pdftotext for the text, verify --pdf for the QR.
func TestReceiptCommand(t *testing.T) {
	setNow(t, testNow)
	db, o, r := seedApplications(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "device.key")
	for _, c := range []struct {
		id, no, due string
		kind        credit.ApplicationKind
	}{
		{strings.ToUpper(objectionID), o.No, o.DecisionDue.In(credit.China).Format("2006-01-02"), credit.KindObjection},
		{restorationID, r.No, r.FeedbackDue.In(credit.China).Format("2006-01-02"), credit.KindRestoration},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			pdf := filepath.Join(t.TempDir(), "receipt.pdf")
			out, _ := run(t, 0, "receipt", "--db", db, "--application", c.id, "--key", key, "--out", pdf, "--office", "兰州市城关区发展和改革局")
			if field(t, out, "application_no") != c.no || field(t, out, "kind") != string(c.kind) {
				t.Errorf("output:\n%s", out)
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("pdftotext not installed (poppler-utils)")
			}
			txt, err := exec.CommandContext(t.Context(), "pdftotext", "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{c.no, "免费", c.due, "行政处罚：未按规定申报纳税"} {
				if !strings.Contains(string(txt), w) {
					t.Errorf("pdftotext lacks %q", w)
				}
			}
			f := trustSetupFor(t, key)
			v, _ := run(t, 0, "verify", "--trust", f.list, "--root-pub", f.rootPub, "--at", testNow.Add(time.Hour).Format(time.RFC3339), "--pdf", pdf)
			for _, w := range []string{"VALID", "申请受理回执", c.no, c.due, "王*"} {
				if !strings.Contains(v, w) {
					t.Errorf("verify output lacks %q:\n%s", w, v)
				}
			}
		})
	}
}

func TestReceiptCommandErrors(t *testing.T) {
	setNow(t, testNow)
	db, _, _ := seedApplications(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "device.key")
	out := filepath.Join(dir, "r.pdf")
	tests := []struct {
		name string
		code int
		args []string
		want string
	}{
		{"usage", 2, []string{"receipt", "--db", db}, ""},
		{"unknown application", 1, []string{"receipt", "--db", db, "--application", "00000000-0000-4000-8000-000000000000", "--key", key, "--out", out}, "No objection or restoration"},
		{"missing db", 1, []string{"receipt", "--db", filepath.Join(dir, "nope.db"), "--application", objectionID, "--key", key, "--out", out}, "cannot be opened"},
		{"bad validity", 1, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--validity", "-1h"}, "validity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr := run(t, tt.code, tt.args...)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q: %s", tt.want, stderr)
			}
		})
	}
}

// TestSignOnlyWithActiveKey: with --trust, report and receipt refuse to
// sign with a key that is not enrolled and active.
func TestSignOnlyWithActiveKey(t *testing.T) {
	setNow(t, testNow)
	db, _, _ := seedApplications(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "device.key")
	run(t, 0, "receipt", "--db", db, "--application", objectionID, "--key", key, "--out", filepath.Join(dir, "first.pdf")) // creates the key
	f := trustSetupFor(t, key)
	setNow(t, testNow)
	compromised := filepath.Join(dir, "compromised.tl")
	run(t, 0, "keys", "trust-list", "compromise", "--in", f.list, "--out", compromised, "--kid", f.devKID)
	run(t, 0, "keys", "trust-list", "sign", "--root", f.rootKey, "--in", compromised, "--out", compromised)
	other := trustSetup(t) // a list without this device's key
	setNow(t, testNow)
	out := filepath.Join(dir, "r.pdf")
	tests := []struct {
		name string
		code int
		args []string
		want string
	}{
		{"receipt active", 0, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--trust", f.list, "--root-pub", f.rootPub}, ""},
		{"report active", 0, []string{"report", "--db", db, "--subject", personNo, "--key", key, "--out", out, "--trust", f.list, "--root-pub", f.rootPub, "--operator", "C001", "--purpose", "art25_administrative", "--auth-ref", "SQ-1"}, ""},
		{"receipt compromised", 1, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--trust", compromised, "--root-pub", f.rootPub}, "compromised"},
		{"report compromised", 1, []string{"report", "--db", db, "--subject", personNo, "--key", key, "--out", out, "--trust", compromised, "--root-pub", f.rootPub, "--operator", "C001", "--purpose", "art25_administrative", "--auth-ref", "SQ-1"}, "compromised"},
		{"not enrolled", 1, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--trust", other.list, "--root-pub", other.rootPub}, "enrol it first"},
		{"wrong root", 1, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--trust", f.list, "--root-pub", other.rootPub}, "trust list is not valid"},
		{"trust alone", 1, []string{"receipt", "--db", db, "--application", objectionID, "--key", key, "--out", out, "--trust", f.list}, "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr := run(t, tt.code, tt.args...)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q: %s", tt.want, stderr)
			}
		})
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

var (
	testNow    = time.Date(2026, 1, 15, 10, 30, 0, 0, credit.China)
	personNo17 = "62010219900307123"
	personNo   = personNo17 + string(credit.IDCheckChar(personNo17))
)

// seedStore writes a subject with records and an inquiry into a new store.
func seedStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credit.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subj := credit.Subject{ID: personNo, Kind: credit.NaturalPerson, Name: "王堃", Region: "620102", Version: 1}
	recs := []credit.Record{
		{ID: "r1", SubjectID: personNo, Category: credit.CategoryUntrustworthy, Title: "行政处罚：未按规定申报纳税",
			Content: "逾期未申报个人所得税，处罚款人民币贰仟元。", SourceUnit: "国家税务总局兰州市城关区税务局",
			DocumentNo: "兰城税罚〔2025〕318号", LegalBasis: "《中华人民共和国税收征收管理法》第六十二条",
			DecisionDate: time.Date(2025, 9, 20, 0, 0, 0, 0, credit.China), Tier: credit.TierGeneral, Version: 1},
		{ID: "r2", SubjectID: personNo, Category: credit.CategoryOther, Title: "表彰：兰州市优秀志愿者",
			Content: "2024年度兰州市优秀志愿者。", SourceUnit: "兰州市文明办", DocumentNo: "兰文明〔2025〕3号",
			DecisionDate: time.Date(2025, 3, 5, 0, 0, 0, 0, credit.China), Version: 1},
	}
	if err := db.Load(t.Context(), []credit.Subject{subj}, recs); err != nil {
		t.Fatal(err)
	}
	q := credit.Inquiry{ID: "q1", SubjectID: personNo, InquirerKind: credit.InquirerSelf, Purpose: credit.PurposeSelf, Channel: "620102K1", At: testNow.Add(-time.Minute)}
	if err := db.LogInquiry(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyPage(t.Context(), nil, "c1", testNow.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	return path
}

func setNow(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// field returns the value of a "name\tvalue" line.
func field(t *testing.T, out, name string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, name+"\t"); ok {
			return v
		}
	}
	t.Fatalf("no %q line in:\n%s", name, out)
	return ""
}

// issue runs creditctl report and returns stdout and the work directory.
// clerk are the flags of an authorised inquiry (Art. 23, 25): a report on
// a natural person is an inquiry into them and is logged as such.
var clerk = []string{"--operator", "C001", "--purpose", "art25_administrative", "--auth-ref", "SQ-2026-15"}

func issue(t *testing.T) (out, dir string) {
	t.Helper()
	setNow(t, testNow)
	db := seedStore(t)
	dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), append([]string{"report", "--db", db, "--subject", strings.ToLower(personNo), "--out", filepath.Join(dir, "r.pdf"),
		"--key", filepath.Join(dir, "device.key"), "--device", "K1", "--region", "620102", "--office", "兰州市城关区发展和改革局",
		"--pub-out", filepath.Join(dir, "keys.txt"), "--qr-out", filepath.Join(dir, "qr.png"), "--serial", "42"}, clerk...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, stderr.String())
	}
	return stdout.String(), dir
}

func TestReportCommand(t *testing.T) {
	out, dir := issue(t)
	if got := field(t, out, "report_no"); got != "620102K1-20260115-000042" {
		t.Errorf("report_no %q", got)
	}
	if got := field(t, out, "pages"); got != "1" && got != "2" {
		t.Errorf("pages %q", got)
	}
	if qr := field(t, out, "qr"); !strings.HasPrefix(qr, "CR1:") {
		t.Errorf("qr %q", qr)
	}
	for _, f := range []string{"r.pdf", "qr.png", "keys.txt", "device.key"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	keys, _ := os.ReadFile(filepath.Join(dir, "keys.txt"))
	if !strings.Contains(string(keys), "兰州市城关区发展和改革局") {
		t.Errorf("keys.txt %q lacks the office", keys)
	}
}

func TestReportCommandErrors(t *testing.T) {
	setNow(t, testNow)
	db := seedStore(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	other := "620102198501014320"
	other = other[:17] + string(credit.IDCheckChar(other[:17]))
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no flags", nil, 2, "usage"},
		{"bad subject", []string{"--db", db, "--subject", "123", "--out", filepath.Join(dir, "a.pdf"), "--key", key}, 1, ""},
		{"unknown subject", []string{"--db", db, "--subject", other, "--out", filepath.Join(dir, "a.pdf"), "--key", key}, 1, "No credit information"},
		{"person without authorisation", []string{"--db", db, "--subject", personNo, "--out", filepath.Join(dir, "a.pdf"), "--key", key}, 1, "--operator, --purpose and --auth-ref"},
		{"missing db", []string{"--db", filepath.Join(dir, "none.db"), "--subject", personNo, "--out", filepath.Join(dir, "a.pdf"), "--key", key}, 1, "cannot be opened"},
		{"bad device", []string{"--db", db, "--subject", personNo, "--out", filepath.Join(dir, "a.pdf"), "--key", key, "--device", "k"}, 1, "device code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), append([]string{"report"}, tt.args...), &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, stderr.String(), tt.msg)
			}
			if _, err := os.Stat(filepath.Join(dir, "a.pdf")); err == nil {
				t.Fatal("a PDF was written despite the error")
			}
		})
	}
}

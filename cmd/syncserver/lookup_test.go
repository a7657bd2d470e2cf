package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func TestTrustListAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "platform.db")
	now := time.Now().UTC().Truncate(time.Second)
	rootPub, root, _ := ed25519.GenerateKey(nil)
	devPub, dev, _ := ed25519.GenerateKey(nil)
	pemB, _ := report.MarshalPublicKey(rootPub)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rootFile := write("root.pem", pemB)
	list := func(seq uint64) string {
		b, err := report.SignTrustList(&report.TrustList{Seq: seq, IssuedAt: now.Add(-time.Hour), NextUpdate: now.Add(24 * time.Hour),
			Keys: []report.ListKey{{Public: devPub, OfficeCode: "620102", OfficeName: "城关区信用中心", Status: report.KeyActive,
				SignFrom: now.Add(-48 * time.Hour), StatusAt: now.Add(-48 * time.Hour)}}}, root)
		if err != nil {
			t.Fatal(err)
		}
		return write("list"+string(rune('0'+seq))+".tl", b)
	}
	l1, l2 := list(1), list(2)
	sg, err := report.Sign(dev, report.Claims{ReportID: "620102K1-20261127-000001", IssuedAt: now.Add(-time.Minute), Expires: now.Add(24 * time.Hour),
		Type: report.NaturalPersonReport, SubjectName: "张堃", SubjectIDDisplay: "6201**********123X", Pages: 1})
	if err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"verify before a list", []string{"verify", "--db", db, sg.Text}, 1, ""},
		{"publish needs root", []string{"trust-list", "publish", "--db", db, "--in", l2}, 2, ""},
		{"publish 2", []string{"trust-list", "publish", "--db", db, "--in", l2, "--root-pub", rootFile}, 0, "seq 2"},
		{"publish 2 again", []string{"trust-list", "publish", "--db", db, "--in", l2, "--root-pub", rootFile}, 0, "nothing changed"},
		{"rollback refused", []string{"trust-list", "publish", "--db", db, "--in", l1, "--root-pub", rootFile}, 1, ""},
		{"wrong root", []string{"trust-list", "publish", "--db", db, "--in", l2, "--root-pub", write("dev.pem", must(report.MarshalPublicKey(devPub)))}, 1, ""},
		{"show", []string{"trust-list", "show", "--db", db}, 0, "城关区信用中心"},
		{"verify text", []string{"verify", "--db", db, sg.Text}, 0, `"status": "VALID"`},
		{"verify garbage", []string{"verify", "--db", db, "CR1:???"}, 30, `"MALFORMED"`},
		{"lookup unregistered", []string{"verify", "--db", db, "--no", sg.Claims.ReportID, "--code", sg.Code}, 27, `"unknown"`},
		{"lookup needs both", []string{"verify", "--db", db, "--no", sg.Claims.ReportID}, 2, ""},
	}
	for _, st := range steps {
		code, out, errOut := run(t, st.args...)
		if code != st.code || !strings.Contains(out, st.out) {
			t.Fatalf("%s: exit %d, want %d\n%s\n%s", st.name, code, st.code, out, errOut)
		}
	}

	s, err := syncserver.Open(t.Context(), db, syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kid := report.KeyID(devPub)
	if _, err := s.RegisterReport(t.Context(), "K1", sg.Claims.ReportID, protocol.ReportRecordV1{Code: sg.Code, KID: hex.EncodeToString(kid[:]),
		IssuedAt: sg.Claims.IssuedAt, Expires: sg.Claims.Expires, ReportType: 2, SubjectIDDisplay: sg.Claims.SubjectIDDisplay}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, _ := run(t, "verify", "--db", db, "--no", sg.Claims.ReportID, "--code", sg.Code); code != 0 || !strings.Contains(out, `"known"`) || strings.Contains(out, "张堃") {
		t.Fatalf("lookup registered: %d %s", code, out)
	}
	if code, out, _ := run(t, "verify", "--db", db, sg.Text); code != 0 || !strings.Contains(out, `"registry": "known"`) {
		t.Fatalf("verify registered: %d %s", code, out)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

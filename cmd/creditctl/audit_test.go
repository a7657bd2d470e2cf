package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// auditDB writes a database with three inquiries on kiosk-01 and returns
// its path.
func auditDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	d, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	for i := range 3 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: "kiosk-01", At: at.Add(time.Duration(i) * time.Minute)}
		if err := d.LogInquiry(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestAuditVerifyCommand(t *testing.T) {
	tamper := func(stmt string) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.ExecContext(t.Context(), stmt); err != nil {
				t.Fatal(err)
			}
		}
	}
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notDB, []byte("not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T, path string)
		args   func(path string) []string
		code   int
		stdout string
		stderr string
	}{
		{"untouched", nil, func(p string) []string { return []string{"verify", "--db", p} }, 0, "OK: 3 entries on 1 devices", ""},
		{"altered", tamper(`UPDATE inquiries SET purpose = 'x' WHERE id = (SELECT inquiry_id FROM inquiry_chain WHERE seq = 2)`),
			func(p string) []string { return []string{"verify", "--db", p} }, 1, "BROKEN: device kiosk-01: entry 2 altered", ""},
		{"removed", tamper(`DELETE FROM inquiries WHERE id = (SELECT inquiry_id FROM inquiry_chain WHERE seq = 1)`),
			func(p string) []string { return []string{"verify", "--db", p} }, 1, "entry 1 removed", ""},
		{"no verb", nil, func(p string) []string { return nil }, 2, "", "usage"},
		{"no db", nil, func(p string) []string { return []string{"verify"} }, 2, "", "usage"},
		{"missing db", nil, func(p string) []string { return []string{"verify", "--db", p + ".nope"} }, 2, "", "is not a database file"},
		{"directory", nil, func(p string) []string { return []string{"verify", "--db", filepath.Dir(p)} }, 2, "", "is not a database file"},
		{"not SQLite", nil, func(p string) []string { return []string{"verify", "--db", notDB} }, 2, "", "creditctl audit verify:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := auditDB(t)
			if tt.tamper != nil {
				tt.tamper(t, path)
			}
			var out, errb bytes.Buffer
			code := Main(t.Context(), append([]string{"audit"}, tt.args(path)...), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tt.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stdout %q (want %q), stderr %q (want %q)", out.String(), tt.stdout, errb.String(), tt.stderr)
			}
		})
	}
}

// TestAuditVerifyCreatesNothing: checking a path that does not exist must
// not leave an empty (and so "intact") database behind.
func TestAuditVerifyCreatesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"audit", "verify", "--db", path}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("verify created %s: %v", path, err)
	}
}

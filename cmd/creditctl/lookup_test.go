package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// synthStore writes a small synthetic dataset into a fresh store.
func synthStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds := synth.Generate(7, 200)
	if err := db.Load(t.Context(), ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	return path
}

func inquiriesOf(t *testing.T, path, id string) []credit.Inquiry {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := db.InquiriesOf(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestLookup(t *testing.T) {
	path := synthStore(t)
	tests := []struct {
		name      string
		args      []string
		code      int
		wantErr   string
		inquiries int // entries for the subject afterwards
	}{
		{"business, public", []string{"--db", path, synth.DemoUSCC}, 0, "", 1},
		{"person without authorisation", []string{"--db", path, synth.DemoID}, 1, "--operator", 0},
		{"person without auth ref", []string{"--db", path, "--operator", "C001", "--purpose", "art25_administrative", synth.DemoID}, 1, "authorisation", 0},
		{"person, purpose not in Art. 25", []string{"--db", path, "--operator", "C001", "--purpose", "curiosity", "--auth-ref", "SQ-1", synth.DemoID}, 1, "Art. 25", 0},
		{"person, authorised", []string{"--db", path, "--operator", "C001", "--purpose", "art25_administrative", "--auth-ref", "SQ-2026-7", synth.DemoID}, 0, "", 1},
		{"invalid id", []string{"--db", path, "620102198503120022"}, 2, "check character", 0},
		{"unknown subject", []string{"--db", path, "91350100M000100Y43"}, 1, "", 0},
		{"no args", []string{"--db", path}, 2, "usage", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, append([]string{"lookup"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.wantErr)
			}
			if code != 0 {
				if out != "" {
					t.Fatalf("printed data on failure: %s", out)
				}
				return
			}
			var res lookupResult
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			id := tt.args[len(tt.args)-1]
			if res.Subject.ID != id || len(res.Records) == 0 {
				t.Fatalf("result %+v", res.Subject)
			}
			q := inquiriesOf(t, path, id)
			if len(q) == 0 || q[0].Channel != "creditctl" {
				t.Fatalf("inquiry not logged: %+v", q)
			}
		})
	}
	// Refused looks are not logged; the two successful ones are, once each.
	if n := len(inquiriesOf(t, path, synth.DemoID)); n != 1 {
		t.Errorf("%d inquiries for the person, want 1", n)
	}
	if q := inquiriesOf(t, path, synth.DemoID); q[0].InquirerKind != credit.InquirerClerk || q[0].InquirerID != "C001" || q[0].AuthRef != "SQ-2026-7" {
		t.Errorf("logged %+v", q[0])
	}
}

func TestSearch(t *testing.T) {
	path := synthStore(t)
	code, out, _ := runMain(t, "search", "--db", path, synth.DemoOrgName[:6]) // 兰州 (two characters)
	if code != 0 || !strings.Contains(out, synth.DemoUSCC) {
		t.Fatalf("exit %d, out %q", code, out)
	}
	code, out, _ = runMain(t, "search", "--db", path, synth.DemoUSCC[:8])
	if code != 0 || !strings.Contains(out, synth.DemoOrgName) {
		t.Fatalf("code prefix: exit %d, out %q", code, out)
	}
	// A person's name never matches.
	code, out, _ = runMain(t, "search", "--db", path, synth.DemoName)
	if strings.Contains(out, synth.DemoID) || code != 1 {
		t.Fatalf("person listed: exit %d, out %q", code, out)
	}
	if code, _, _ := runMain(t, "search", "--db", path); code != 2 {
		t.Errorf("empty query: exit %d", code)
	}
}

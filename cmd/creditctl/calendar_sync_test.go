package main

import (
	"crypto/ed25519"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// TestSyncTakesCalendar: the platform publishes the 2027 notice; `creditctl
// sync --calendar-pub` keeps it in the terminal's store and `creditctl
// deadline --db` counts on it; a sync without the key, or with another
// key, leaves the deadline provisional.
func TestSyncTakesCalendar(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "platform.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	key, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(ed25519.PublicKey)
	writePub := func(name string, k ed25519.PublicKey) string {
		b, err := report.MarshalPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	otherPub, _, _ := ed25519.GenerateKey(nil)
	y := credit.HolidayYear{Year: 2027, Papers: []string{"x"}, Days: []credit.HolidayDay{{Name: "元旦", Date: "2027-01-01", Off: true}}}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: y}, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.PublishCalendar(ctx, signed, []ed25519.PublicKey{pub}); err != nil {
		t.Fatal(err)
	}
	deadline := func(db string) string {
		t.Helper()
		code, out, errs := runMain(t, "deadline", "--from", "2026-12-31", "--working-days", "1", "--db", db)
		if code != 0 {
			t.Fatalf("deadline exit %d: %s", code, errs)
		}
		return out
	}
	tests := []struct {
		name string
		pub  string
		want string
	}{
		{"no key", "", "2027-01-01\tprovisional\n"},
		{"another key", writePub("other.pub", otherPub), "2027-01-01\tprovisional\n"},
		{"platform key", writePub("platform.pub", pub), "2027-01-04\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local := filepath.Join(dir, "kiosk"+string(rune('a'+i))+".db")
			id := "kiosk-" + string(rune('a'+i))
			enrolDevice(t, srv, hs.URL, id, "--db", local)
			args := []string{"sync", "--db", local, "--server", hs.URL, "--device", id}
			if tt.pub != "" {
				args = append(args, "--calendar-pub", tt.pub)
			}
			code, out, errs := runMain(t, args...)
			if code != 0 {
				t.Fatalf("sync exit %d\n%s\n%s", code, out, errs)
			}
			if got := deadline(local); got != tt.want {
				t.Fatalf("deadline %q, want %q", got, tt.want)
			}
			if tt.name == "another key" && !strings.Contains(errs, "calendar refused") {
				t.Errorf("refusal not logged: %s", errs)
			}
		})
	}
}

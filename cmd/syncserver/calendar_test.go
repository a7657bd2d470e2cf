package main

import (
	"crypto/ed25519"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func TestCalendarPublish(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "platform.db")
	keyPath := filepath.Join(dir, "calendar.key")
	if _, err := report.LoadOrCreateKey(keyPath); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	y2027 := write("2027.json", `{"year":2027,"papers":["https://www.gov.cn/x"],"days":[{"name":"国庆节","date":"2027-10-01","isOffDay":true}]}`)
	stub := write("stub.json", `{"year":2027,"papers":[],"days":[]}`)
	counties := write("counties.json", `{"counties":[{"prefix":"6229","name":"临夏回族自治州","dates":[{"name":"古尔邦节","date":"2027-05-16","isOffDay":true}]}]}`)
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"year", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027", "--file", y2027}, 0, "published year:2027 version 1"},
		{"year again: next version", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027", "--file", y2027}, 0, "published year:2027 version 2"},
		{"older version", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027", "--file", y2027, "--version", "1"}, 1, "must be above"},
		{"counties", []string{"publish", "--db", db, "--key", keyPath, "--counties", counties}, 0, "published counties version 1"},
		{"stub year", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027", "--file", stub}, 1, "not out yet"},
		{"year mismatch", []string{"publish", "--db", db, "--key", keyPath, "--year", "2028", "--file", y2027}, 1, "not 2028"},
		{"bad counties", []string{"publish", "--db", db, "--key", keyPath, "--counties", y2027}, 1, "--counties"},
		{"no key file", []string{"publish", "--db", db, "--key", filepath.Join(dir, "none"), "--year", "2027", "--file", y2027}, 1, "read key"},
		{"year without file", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027"}, 2, "usage"},
		{"both", []string{"publish", "--db", db, "--key", keyPath, "--year", "2027", "--file", y2027, "--counties", counties}, 2, "usage"},
		{"no subcommand", nil, 2, "usage"},
		{"list", []string{"list", "--db", db}, 0, "year:2027\tversion 2"},
		{"pubkey", []string{"pubkey", "--key", keyPath}, 0, "PUBLIC KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"calendar"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errs, tt.out) {
				t.Fatalf("exit %d, want %d; out %q err %q; want %q", code, tt.code, out, errs, tt.out)
			}
		})
	}
}

// TestRefreshCalendar: the platform counts on the years it published.
func TestRefreshCalendar(t *testing.T) {
	ctx := t.Context()
	s, err := syncserver.Open(ctx, filepath.Join(t.TempDir(), "p.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cal, err := holidays()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	oct4 := time.Date(2027, 10, 4, 10, 0, 0, 0, credit.China)
	refreshCalendar(ctx, s, cal, log)
	if !cal.IsWorkingDay(oct4) {
		t.Fatal("4 October 2027 off before any notice")
	}
	key, err := report.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	y := credit.HolidayYear{Year: 2027, Papers: []string{"x"}, Days: []credit.HolidayDay{{Name: "国庆节", Date: "2027-10-04", Off: true}}}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: y}, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.PublishCalendar(ctx, signed, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}); err != nil {
		t.Fatal(err)
	}
	refreshCalendar(ctx, s, cal, log)
	if pc := cal.(credit.ProvisionalCalendar); pc.IsWorkingDay(oct4) || pc.Provisional(oct4) {
		t.Fatal("the published 2027 notice is not counted")
	}
}

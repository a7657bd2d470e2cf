package main

import (
	"bytes"
	"crypto/ed25519"
	"path/filepath"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

// TestDeadlineWithDB: --db counts with the 2027 notice a terminal received
// through sync and with its supervisor's local days off.
func TestDeadlineWithDB(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	y := credit.HolidayYear{Year: 2027, Papers: []string{"x"}, Days: []credit.HolidayDay{{Name: "元旦", Date: "2027-01-01", Off: true}}}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: y}, key)
	if err != nil {
		t.Fatal(err)
	}
	k := &store.CalendarKeeper{DB: db, Keys: []ed25519.PublicKey{pub}}
	if err := k.ReceiveCalendar(ctx, signed); err != nil {
		t.Fatal(err)
	}
	if err := db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2026-12-01", Name: "测试假日", AddedBy: "S001"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string
		inError string
	}{
		{"without --db: provisional", []string{"--from", "2026-12-31", "--working-days", "1"}, 0, "2027-01-01\tprovisional\n", ""},
		{"synced 2027", []string{"--from", "2026-12-31", "--working-days", "1", "--db", path}, 0, "2027-01-04\n", ""},
		{"local day off of the county", []string{"--from", "2026-11-30", "--working-days", "1", "--county", "622901", "--db", path}, 0, "2026-12-02\n", ""},
		{"another county", []string{"--from", "2026-11-30", "--working-days", "1", "--county", "620102", "--db", path}, 0, "2026-12-01\n", ""},
		{"missing db", []string{"--from", "2026-11-30", "--working-days", "1", "--db", path + ".nope"}, 2, "", "not a database file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(t.Context(), append([]string{"deadline"}, tt.args...), &out, &errb)
			if code != tt.code || out.String() != tt.stdout || !strings.Contains(errb.String(), tt.inError) {
				t.Fatalf("exit %d stdout %q stderr %q; want %d %q %q", code, out.String(), errb.String(), tt.code, tt.stdout, tt.inError)
			}
		})
	}
}

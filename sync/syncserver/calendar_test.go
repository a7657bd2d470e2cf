package syncserver

import (
	"crypto/ed25519"
	"path/filepath"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func TestPublishCalendar(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	ctx := t.Context()
	pub, key, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	year := func(k ed25519.PrivateKey, v int64, days int) []byte {
		t.Helper()
		y := credit.HolidayYear{Year: 2027, Papers: []string{}}
		for i := range days {
			y.Days = append(y.Days, credit.HolidayDay{Name: "国庆节", Date: "2027-10-0" + string(rune('1'+i)), Off: true})
		}
		b, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: v, Year: y}, k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	keys := []ed25519.PublicKey{pub}
	tests := []struct {
		name    string
		signed  []byte
		code    string
		changed bool
	}{
		{"first", year(key, 1, 7), "", true},
		{"same again", year(key, 1, 7), "", false},
		{"other bytes, same version", year(key, 1, 3), credit.ECONFLICT, false},
		{"newer", year(key, 2, 7), "", true},
		{"older", year(key, 1, 7), credit.ECONFLICT, false},
		{"foreign key", year(other, 3, 7), credit.EUNAUTHORIZED, false},
		{"garbage", []byte("{}"), credit.EUNAUTHORIZED, false},
	}
	for _, tt := range tests {
		_, changed, err := s.PublishCalendar(ctx, tt.signed, keys)
		if credit.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) || changed != tt.changed {
			t.Errorf("%s: changed %v, %v; want %v, %q", tt.name, changed, err, tt.changed, tt.code)
		}
	}
	if v, err := s.CalendarVersion(ctx, "year:2027"); err != nil || v != 2 {
		t.Fatalf("version %d, %v", v, err)
	}
	cs, err := s.Calendars(ctx)
	if err != nil || len(cs) != 1 || cs[0].ID != "year:2027" || cs[0].Version != 2 {
		t.Fatalf("calendars %+v, %v", cs, err)
	}
	years, err := s.PublishedYears(ctx)
	if err != nil || len(years) != 1 || years[0].Year != 2027 || len(years[0].Days) != 7 {
		t.Fatalf("published years %+v, %v", years, err)
	}
	// Only the newest version stays in the change log.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM change_log WHERE type = 'calendar'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d calendar rows in the change log, %v", n, err)
	}
}

package credit_test

import (
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

func TestSignOpenCalendar(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	otherPub, other, _ := ed25519.GenerateKey(nil)
	year := credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 3, IssuedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Year: synth.Notice2027()}
	signed, err := credit.SignCalendar(year, key)
	if err != nil {
		t.Fatal(err)
	}
	counties, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarCounties, Version: 1, Counties: credit.Counties}, key)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := credit.SignCalendar(year, other)
	var env map[string]any
	_ = json.Unmarshal(signed, &env)
	delete(env, "sig")
	unsigned, _ := json.Marshal(env)
	tampered := []byte(strings.Replace(string(signed), `"payload":"`, `"payload":"A`, 1))

	tests := []struct {
		name     string
		signed   []byte
		keys     []ed25519.PublicKey
		wantCode string
		wantID   string
	}{
		{name: "year", signed: signed, keys: []ed25519.PublicKey{pub}, wantID: "year:2027"},
		{name: "any trusted key", signed: foreign, keys: []ed25519.PublicKey{pub, otherPub}, wantID: "year:2027"},
		{name: "counties", signed: counties, keys: []ed25519.PublicKey{pub}, wantID: "counties"},
		{name: "foreign key", signed: foreign, keys: []ed25519.PublicKey{pub}, wantCode: credit.EUNAUTHORIZED},
		{name: "no keys", signed: signed, wantCode: credit.EUNAUTHORIZED},
		{name: "unsigned", signed: unsigned, keys: []ed25519.PublicKey{pub}, wantCode: credit.EUNAUTHORIZED},
		{name: "tampered", signed: tampered, keys: []ed25519.PublicKey{pub}, wantCode: credit.EINVALID},
		{name: "garbage", signed: []byte("{"), keys: []ed25519.PublicKey{pub}, wantCode: credit.EINVALID},
		{name: "too big", signed: make([]byte, credit.MaxCalendarSize+1), keys: []ed25519.PublicKey{pub}, wantCode: credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := credit.OpenCalendar(tt.signed, tt.keys)
			if credit.ErrorCode(err) != tt.wantCode && !(tt.wantCode == "" && err == nil) {
				t.Fatalf("err = %v, want code %q", err, tt.wantCode)
			}
			if tt.wantCode == "" && u.ID() != tt.wantID {
				t.Fatalf("id %q, want %q", u.ID(), tt.wantID)
			}
		})
	}
	u, _ := credit.OpenCalendar(signed, []ed25519.PublicKey{pub})
	if u.Version != 3 || len(u.Year.Days) != 9 || !u.IssuedAt.Equal(year.IssuedAt) {
		t.Fatalf("round trip lost data: %+v", u)
	}
}

func TestSignCalendarRefuses(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name string
		u    credit.CalendarUpdate
	}{
		{"empty stub year", credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: credit.HolidayYear{Year: 2028}}},
		{"no version", credit.CalendarUpdate{Kind: credit.CalendarYear, Year: synth.Notice2027()}},
		{"unknown kind", credit.CalendarUpdate{Kind: "moon", Version: 1}},
		{"bad county", credit.CalendarUpdate{Kind: credit.CalendarCounties, Version: 1, Counties: []credit.County{{Prefix: "11", Name: "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := credit.SignCalendar(tt.u, key); err == nil {
				t.Fatal("signed")
			}
		})
	}
}

func TestCalendarID(t *testing.T) {
	for id, want := range map[string]int{"year:2027": 2027, "counties": 0, "year:27": -1, "year:abcd": -1, "x": -1} {
		y, err := credit.ParseCalendarID(id)
		if (err != nil) != (want < 0) || (want >= 0 && y != want) {
			t.Errorf("%q: %d, %v", id, y, err)
		}
	}
}

func FuzzParseCalendarUpdate(f *testing.F) {
	_, key, _ := ed25519.GenerateKey(nil)
	signed, _ := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: synth.Notice2027()}, key)
	var env struct{ Payload []byte }
	_ = json.Unmarshal(signed, &env)
	f.Add(env.Payload)
	f.Add([]byte(`{"kind":"counties","version":2,"issued_at":"2026-01-01T00:00:00Z","data":{"counties":[]}}`))
	f.Add([]byte(`{"kind":"year","version":1,"data":{"year":2027,"papers":[],"days":[]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		u, err := credit.ParseCalendarUpdate(payload)
		if err != nil {
			if credit.ErrorCode(err) != credit.EINVALID {
				t.Fatalf("error without EINVALID: %v", err)
			}
			return
		}
		if u.Version <= 0 || (u.Kind == credit.CalendarYear && len(u.Year.Days) == 0) {
			t.Fatalf("accepted %+v", u)
		}
		// What parses can be signed and opened again.
		b, err := credit.SignCalendar(u, key)
		if err != nil {
			t.Fatalf("re-sign: %v", err)
		}
		if _, err := credit.OpenCalendar(b, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}); err != nil {
			t.Fatalf("re-open: %v", err)
		}
	})
}

func TestPeekCalendar(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 4, Year: synth.Notice2027()}, key)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := credit.PeekCalendar(signed); err != nil || u.ID() != "year:2027" || u.Version != 4 {
		t.Fatalf("peek: %+v, %v", u, err)
	}
	for _, bad := range [][]byte{nil, []byte("{"), []byte(`{"payload":"e30="}`)} {
		if _, err := credit.PeekCalendar(bad); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

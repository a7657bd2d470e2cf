package credit_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func TestBuiltinCountiesRoundTrip(t *testing.T) {
	for _, c := range credit.Counties {
		if err := c.Validate(); err != nil {
			t.Errorf("built-in %s: %v", c.Prefix, err)
		}
	}
	data, err := json.Marshal(credit.CountyFile{Counties: credit.Counties})
	if err != nil {
		t.Fatal(err)
	}
	got, err := credit.ParseCounties(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, credit.Counties) {
		t.Fatalf("round trip changed the table:\n%+v\n%+v", got, credit.Counties)
	}
	if c := credit.FindCounty(got, "623025"); c == nil || c.NameEN != "Gannan Tibetan Autonomous Prefecture" {
		t.Errorf("FindCounty(623025) = %+v", c)
	}
	if c := credit.FindCounty(got, "620102"); c != nil {
		t.Errorf("FindCounty(620102) = %+v", c)
	}
}

func TestParseCountiesRejects(t *testing.T) {
	const rule = `{"name":"州庆","kind":"fixed","month":11,"day":19,"from_year":2017,"source":"s"}`
	tests := []struct{ name, body, want string }{
		{"not JSON", `{`, "unexpected EOF"},
		{"no counties", `{}`, "required"},
		{"misspelt member", `{"counties":[{"prefix":"6229","name":"临夏","rules":[{"name":"州庆","kind":"fixed","month":11,"day":19,"from_yaer":2017,"source":"s"}]}]}`, "unknown field"},
		{"trailing data", `{"counties":[]} x`, "after the JSON"},
		{"bad prefix", `{"counties":[{"prefix":"62a9","name":"x"}]}`, "prefix"},
		{"overlapping prefixes", `{"counties":[{"prefix":"6229","name":"a","rules":[` + rule + `]},{"prefix":"622901","name":"b"}]}`, "overlap"},
		{"rule without source", `{"counties":[{"prefix":"6229","name":"a","rules":[{"name":"州庆","kind":"fixed","month":11,"day":19,"from_year":2017}]}]}`, "source"},
		{"after_national_day with a date", `{"counties":[{"prefix":"6230","name":"a","rules":[{"name":"州庆","kind":"after_national_day","month":10,"day":9,"from_year":2025,"source":"s"}]}]}`, "takes no month"},
		{"month as text", `{"counties":[{"prefix":"6229","name":"a","rules":[{"name":"州庆","kind":"fixed","month":"November","day":19,"from_year":2017,"source":"s"}]}]}`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := credit.ParseCounties([]byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	ok := `{"counties":[{"prefix":"6229","name":"临夏","rules":[` + rule + `],"dates":[{"name":"开斋节","date":"2026-03-20","isOffDay":true}]}]}`
	cs, err := credit.ParseCounties([]byte(ok))
	if err != nil || len(cs) != 1 || len(cs[0].Dates) != 1 {
		t.Fatalf("%+v %v", cs, err)
	}
}

func FuzzParseCounties(f *testing.F) {
	data, err := json.Marshal(credit.CountyFile{Counties: credit.Counties})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"counties":[{"prefix":"6229","name":"a","dates":[{"name":"x","date":"2026-03-20","isOffDay":true}]}]}`))
	f.Add([]byte(`{"counties":[]}`))
	cal := officialCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := credit.ParseCounties(data)
		if err != nil {
			return
		}
		for _, c := range cs {
			local, err := cal.WithLocal(c)
			if err != nil {
				t.Fatalf("a parsed county is refused: %v", err)
			}
			for _, d := range c.Dates {
				if local.IsWorkingDay(date(t, d.Date+" 12:00")) {
					t.Fatalf("%s: local day off counted as working", d.Date)
				}
			}
		}
	})
}

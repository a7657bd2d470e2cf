package credit_test

import (
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func TestParseUSCC(t *testing.T) {
	valid := []string{"91350100M000100Y43", "91440300708461136T", "914403001922038216", "91330100799655058B",
		"91110108551385082Q", "51610700305332460K", "11610923MB2900168E"}
	for _, v := range valid {
		t.Run(v, func(t *testing.T) {
			got, err := credit.ParseUSCC(v)
			if err != nil || string(got) != v {
				t.Fatalf("ParseUSCC(%q) = %q, %v", v, got, err)
			}
			lower, err := credit.ParseUSCC(strings.ToLower(v))
			if err != nil || lower != got {
				t.Fatalf("lower-case form: %q, %v", lower, err)
			}
		})
	}
	invalid := []struct{ in, want string }{
		{"91350200M000000510", "expected D"},
		{"91350128M00000019A", "expected F"},
		{"91350100M000100Y4", "got 17"},
		{"91350100I000100Y43", "not allowed"}, // I is never used
		{"91350100O000100Y43", "not allowed"},
		{"9135010OM000100Y4Z", "not allowed"},
	}
	for _, tt := range invalid {
		t.Run(tt.in, func(t *testing.T) {
			_, err := credit.ParseUSCC(tt.in)
			if err == nil || !strings.Contains(credit.ErrorMessageEN(err), tt.want) {
				t.Fatalf("ParseUSCC(%q) err = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseSubjectID(t *testing.T) {
	tests := []struct {
		in   string
		kind credit.SubjectKind
		ok   bool
	}{
		{"11010519491231002X", credit.NaturalPerson, true},
		{"91350100M000100Y43", credit.LegalPerson, true},
		{"914403001922038216", credit.LegalPerson, true}, // all digits, still a USCC
		{"110105194912310021", "", false},
		{"hello", "", false},
	}
	for _, tt := range tests {
		id, kind, err := credit.ParseSubjectID(tt.in)
		if (err == nil) != tt.ok || kind != tt.kind {
			t.Errorf("ParseSubjectID(%q) = %q %q %v", tt.in, id, kind, err)
		}
	}
}

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350200M000000510", "", "ÿÿÿ", "９１３５０１００Ｍ０００１００Ｙ４３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := credit.ParseUSCC(s)
		if err != nil {
			return
		}
		if credit.USCCCheckChar(string(c)[:17]) != c[17] {
			t.Fatalf("accepted %q with a wrong check char", c)
		}
	})
}

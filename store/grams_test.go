package store

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzNameGrams checks the property the index relies on: every substring
// of a name has all its query grams among the name's grams.
func FuzzNameGrams(f *testing.F) {
	for _, s := range []string{"兰州黄河商贸有限公司", "阿依古丽·买买提", "ＡＢＣ科技", "a", "", "堃喆", "\xff\xfe", "黄 河"} {
		f.Add(s, 0, 2)
	}
	f.Fuzz(func(t *testing.T, name string, from, n int) {
		grams := nameGrams(name)
		for _, g := range grams {
			if c := utf8.RuneCountInString(g); c < 1 || c > 2 {
				t.Fatalf("gram %q has %d runes", g, c)
			}
		}
		rs := normName(name)
		if len(rs) == 0 {
			return
		}
		from = abs(from) % len(rs)
		n = 1 + abs(n)%(len(rs)-from)
		q := rs[from : from+n]
		for _, g := range queryGrams(q) {
			if !slices.Contains(grams, g) {
				t.Fatalf("substring %q of %q: gram %q not indexed", string(q), name, g)
			}
		}
		if !strings.Contains(string(rs), string(q)) {
			t.Fatal("substring lost")
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}

func TestNormName(t *testing.T) {
	tests := map[string]string{
		"兰州 黄河":       "兰州黄河",
		"ＡＢＣ科技":       "ABC科技",
		"abc":         "ABC",
		"扎西·多吉":       "扎西多吉",
		"\u3000堃\t":   "堃",
		"bad\xffutf8": "BADUTF8",
	}
	for in, want := range tests {
		if got := string(normName(in)); got != want {
			t.Errorf("normName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUSCCQuery(t *testing.T) {
	tests := map[string]bool{
		"916201": true, "91620102224304580X": true, "91620": false, "9162010222430458031": false,
		"91620I": false, "ABCDEF": true, "黄河黄河黄河": false,
	}
	for q, want := range tests {
		if got := usccQuery(q); got != want {
			t.Errorf("usccQuery(%q) = %v", q, got)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("CREATE TABLE x (a);")}
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr string
		want    int
	}{
		{"in order", fstest.MapFS{"migrations/001-a.sql": sql, "migrations/002-b.sql": sql}, "", 2},
		{"gap", fstest.MapFS{"migrations/001-a.sql": sql, "migrations/003-c.sql": sql}, "expected number 2", 0},
		{"bad name", fstest.MapFS{"migrations/first.sql": sql}, "NNN-name.sql", 0},
		{"not a number", fstest.MapFS{"migrations/abc-x.sql": sql}, "NNN-name.sql", 0},
		{"starts at 2", fstest.MapFS{"migrations/002-b.sql": sql}, "expected number 1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(ms) != tt.want {
				t.Fatalf("%d migrations, %v", len(ms), err)
			}
		})
	}
	if SchemaVersion() < 1 {
		t.Fatal("embedded migrations do not load")
	}
}

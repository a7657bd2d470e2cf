package ui

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"testing/fstest"
)

// textsOf returns the loaded texts of column col as a translation file's
// object, for tests to change.
func textsOf(col int) map[string]string {
	texts := make(map[string]string, msgCount)
	for m, k := range msgKeys {
		texts[k] = messages[m][col]
	}
	return texts
}

// TestLoadMessagesFallback: a gap in one file shows the other language,
// a gap in both shows the key, never ""; every gap is named.
func TestLoadMessagesFallback(t *testing.T) {
	zhTitle, enTitle := messages[msgTitle][0], messages[msgTitle][1]
	tests := []struct {
		name           string
		zh, en         func(map[string]string) *fstest.MapFile // nil: leave the file out
		wantZh, wantEn string                                  // msgTitle's texts
		wantProblems   []string
	}{
		{"both whole", keep, keep, zhTitle, enTitle, nil},
		{"zh lacks the key", drop("title"), keep, enTitle, enTitle,
			[]string{`kiosk.zh.json: missing key "title"`}},
		{"en text empty", keep, set("title", ""), zhTitle, zhTitle,
			[]string{`kiosk.en.json: key "title" has an empty text`}},
		{"both lack the key", drop("title"), drop("title"), "title", "title",
			[]string{`kiosk.zh.json: missing key "title"`, `kiosk.en.json: missing key "title"`}},
		{"unknown key", set("titel", "x"), keep, zhTitle, enTitle,
			[]string{`kiosk.zh.json: unknown key "titel"`}},
		{"en file missing", keep, nil, zhTitle, zhTitle,
			[]string{"read translations: open kiosk.en.json: file does not exist"}},
		{"en file malformed", keep, raw(`{"title": "A", "title": "B"}`), zhTitle, zhTitle,
			[]string{`read translations kiosk.en.json: key "title" given twice`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for col, f := range []func(map[string]string) *fstest.MapFile{tc.zh, tc.en} {
				if f != nil {
					fsys[translationFile("kiosk", langColumns[col])] = f(textsOf(col))
				}
			}
			tab, problems := LoadTranslations(fsys, "kiosk", msgKeys[:])
			table := [msgCount][2]string(tab)
			if got := table[msgTitle]; got != [2]string{tc.wantZh, tc.wantEn} {
				t.Errorf("title %q, want %q / %q", got, tc.wantZh, tc.wantEn)
			}
			for m := range table {
				if table[m][0] == "" || table[m][1] == "" {
					t.Errorf("%s: empty text %q", msgKeys[m], table[m])
				}
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.wantProblems, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.wantProblems, "\n"))
			}
		})
	}
}

// keep, drop, set and raw make a translation file from the loaded texts.
func keep(texts map[string]string) *fstest.MapFile { return mapFile(texts) }

func drop(key string) func(map[string]string) *fstest.MapFile {
	return func(texts map[string]string) *fstest.MapFile {
		delete(texts, key)
		return mapFile(texts)
	}
}

func set(key, text string) func(map[string]string) *fstest.MapFile {
	return func(texts map[string]string) *fstest.MapFile {
		texts[key] = text
		return mapFile(texts)
	}
}

func raw(data string) func(map[string]string) *fstest.MapFile {
	return func(map[string]string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(data)} }
}

func mapFile(texts map[string]string) *fstest.MapFile {
	data, err := json.Marshal(texts)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return &fstest.MapFile{Data: data}
}

func TestParseTranslations(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{`{}`, map[string]string{}, ""},
		{` {"a": "甲 %s", "b_c": "B"} `, map[string]string{"a": "甲 %s", "b_c": "B"}, ""},
		{``, nil, "want one JSON object"},
		{`[]`, nil, "want one JSON object"},
		{`"text"`, nil, "want one JSON object"},
		{`{"a": 1}`, nil, `key "a": want one JSON object`},
		{`{"a": {"other": "x"}}`, nil, `key "a": want one JSON object`},
		{`{"a": null}`, nil, ""}, // null decodes as "", which LoadTranslations reports as empty
		{`{"a": "x", "a": "y"}`, nil, `key "a" given twice`},
		{`{"a": "x"`, nil, "parse translations"},
		{`{"a": "x"} {}`, nil, "text after the object"},
		{`{"a" "x"}`, nil, "parse translations"},
	}
	for _, tc := range tests {
		got, err := parseTranslations([]byte(tc.in))
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want one with %q", tc.in, err, tc.wantErr)
		case tc.want != nil && !maps.Equal(got, tc.want):
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzParseTranslations: whatever parseTranslations accepts, encoding/json
// reads as the same object of strings (and it never panics).
func FuzzParseTranslations(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": "甲 %s"}`, `{"a": "x", "a": "y"}`, `{"a": 1}`, `[]`, `{"a": "x"} {}`, `{"\u00e9": "\n"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseTranslations(data)
		if err != nil {
			return
		}
		var want map[string]string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", data, err)
		}
		if !maps.Equal(got, want) {
			t.Fatalf("%q: %q, encoding/json %q", data, got, want)
		}
	})
}

// BenchmarkLoadMessages is the kiosk's start-up cost of reading its texts
// from the embedded files (once, at package init).
func BenchmarkLoadMessages(b *testing.B) {
	for b.Loop() {
		if _, problems := loadMessages(); problems != nil {
			b.Fatal(problems)
		}
	}
}

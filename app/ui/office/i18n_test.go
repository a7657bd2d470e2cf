package office

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/assets"
)

// allKeys is every key of the office's texts, in the order of
// loadMessages, with the texts the package loaded for them.
func allKeys() ([]string, [][2]string) {
	return slices.Concat(msgKeys[:], syncMsgKeys[:], printMsgKeys[:]),
		slices.Concat(messages[:], syncMessages[:], printMessages[:])
}

// TestMsgKeys checks that every id of the three tables has its own
// snake-case key.
func TestMsgKeys(t *testing.T) {
	shape := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	keys, _ := allKeys()
	if want := int(msgCount) + int(syncMsgCount) + int(printMsgCount); len(keys) != want {
		t.Fatalf("%d keys, want %d", len(keys), want)
	}
	seen := map[string]int{}
	for i, k := range keys {
		if !shape.MatchString(k) {
			t.Errorf("text %d: key %q is not snake case", i, k)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("texts %d and %d share the key %q", o, i, k)
		}
		seen[k] = i
	}
}

// fmtVerbs matches the verbs fmt.Sprintf fills, %% included.
var fmtVerbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// TestTranslationFiles checks the embedded office.{zh,en}.json: exactly
// the keys of the id tables in both, no empty text, the same fmt verbs in
// the same order in Chinese and English, and no problem while loading.
func TestTranslationFiles(t *testing.T) {
	for _, p := range messageProblems {
		t.Error(p)
	}
	keys, texts := allKeys()
	for _, lang := range []string{"zh", "en"} {
		data, err := fs.ReadFile(assets.Translations(), "office."+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]string
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("office.%s.json: %v", lang, err)
		}
		if got, want := slices.Sorted(maps.Keys(file)), slices.Sorted(slices.Values(keys)); !slices.Equal(got, want) {
			t.Errorf("office.%s.json has keys %q, want %q", lang, got, want)
		}
	}
	for i, k := range keys {
		zh, en := texts[i][0], texts[i][1]
		if strings.TrimSpace(zh) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%s: empty text %q / %q", k, zh, en)
		}
		if a, b := fmtVerbs.FindAllString(zh, -1), fmtVerbs.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %q in Chinese, %q in English", k, a, b)
		}
	}
}

// TestTranslationFilesReadByGoI18n loads the files the way Fyne's lang
// package does (go-i18n) and asks for every key: the texts come back
// unchanged.
func TestTranslationFilesReadByGoI18n(t *testing.T) {
	keys, texts := allKeys()
	for col, lang := range []string{"zh", "en"} {
		name := "office." + lang + ".json"
		data, err := fs.ReadFile(assets.Translations(), name)
		if err != nil {
			t.Fatal(err)
		}
		bundle := i18n.NewBundle(language.Make(lang))
		bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
		if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
			t.Fatalf("go-i18n refuses %s: %v", name, err)
		}
		loc := i18n.NewLocalizer(bundle, lang)
		for i, k := range keys {
			got, err := loc.Localize(&i18n.LocalizeConfig{MessageID: k})
			if err != nil || got != texts[i][col] {
				t.Errorf("%s %s: go-i18n gives %q (%v), want %q", lang, k, got, err, texts[i][col])
			}
		}
	}
}

// TestCounted checks the singular and plural keys: English's singular
// for exactly one, Chinese's one form for every number.
func TestCounted(t *testing.T) {
	tests := []struct {
		c    counted
		lang ui.Lang
		n    int
		want string
	}{
		{countRecords, ui.English, 0, "0 records"},
		{countRecords, ui.English, 1, "1 record"},
		{countRecords, ui.English, 2, "2 records"},
		{countRecords, ui.Chinese, 1, "1 条"},
		{countRecords, ui.Chinese, 7, "7 条"},
		{countPageItems, ui.English, 1, "1 entry"},
		{countPageItems, ui.English, 21, "21 entries"},
		{countDevices, ui.English, 1, "1 device"},
		{countDevices, ui.Chinese, 3, "3 台设备"},
		{countEntries, ui.English, 1, "1 entry"},
		{countEntries, ui.Chinese, 60, "60 条记录"},
	}
	for _, tc := range tests {
		if got := tc.c.in(tc.lang, tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// TestNewLogsTextProblems checks that a gap in the translation files is
// logged when the office starts.
func TestNewLogsTextProblems(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name     string
		problems []error
		want     []string
	}{
		{"none", nil, nil},
		{"two", []error{errors.New(`office.en.json: missing key "save"`), errors.New(`office.zh.json: key "saved" has an empty text`)},
			[]string{`missing key \"save\"`, `key \"saved\" has an empty text`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			saved := messageProblems
			messageProblems = tc.problems
			t.Cleanup(func() { messageProblems = saved })
			var buf bytes.Buffer
			u := New(app.NewOffice(app.OfficeDeps{}), Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
			t.Cleanup(u.Close)
			out := buf.String()
			if got := strings.Count(out, "office texts"); got != len(tc.want) {
				t.Errorf("%d problems logged, want %d:\n%s", got, len(tc.want), out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("log lacks %s:\n%s", w, out)
				}
			}
		})
	}
}

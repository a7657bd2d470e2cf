package uitest

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// keyShape is a translation key: snake case.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// fmtVerbs matches the verbs fmt.Sprintf fills, %% included.
var fmtVerbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// CheckTranslations checks an app's texts as ui.LoadTranslations loaded
// them (texts[i] is keys[i]'s {Chinese, English}) against the files
// <app>.zh.json and <app>.en.json in fsys: every key snake case and
// unique; each file holds exactly the keys; no text empty or blank; the
// same fmt verbs in the same order in both languages; and go-i18n (the
// reader of Fyne's lang package) accepts each file and gives every text
// back unchanged. Fyne's own bundle is left alone: it is global, and the
// screens' goldens must not depend on what a test loaded into it.
func CheckTranslations(t testing.TB, fsys fs.FS, app string, keys []string, texts [][2]string) {
	t.Helper()
	if len(keys) != len(texts) {
		t.Fatalf("%d keys, %d texts", len(keys), len(texts))
	}
	seen := map[string]int{}
	for i, k := range keys {
		if !keyShape.MatchString(k) {
			t.Errorf("text %d: key %q is not snake case", i, k)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("texts %d and %d share the key %q", o, i, k)
		}
		seen[k] = i
		zh, en := texts[i][0], texts[i][1]
		if strings.TrimSpace(zh) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%s: empty text %q / %q", k, zh, en)
		}
		if a, b := fmtVerbs.FindAllString(zh, -1), fmtVerbs.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %q in Chinese, %q in English", k, a, b)
		}
	}
	for col, l := range []string{"zh", "en"} {
		name := app + "." + l + ".json"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]string
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := slices.Sorted(maps.Keys(file)), slices.Sorted(slices.Values(keys)); !slices.Equal(got, want) {
			t.Errorf("%s has keys %q, want %q", name, got, want)
		}
		bundle := i18n.NewBundle(language.Make(l))
		bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
		if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
			t.Fatalf("go-i18n refuses %s: %v", name, err)
		}
		loc := i18n.NewLocalizer(bundle, l)
		for i, k := range keys {
			got, err := loc.Localize(&i18n.LocalizeConfig{MessageID: k})
			if err != nil || got != texts[i][col] {
				t.Errorf("%s %s: go-i18n gives %q (%v), want %q", l, k, got, err, texts[i][col])
			}
		}
	}
}

package ui

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/gansu-credit/credit/assets"
)

func TestMsgKeys(t *testing.T) {
	shape := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	seen := map[string]msg{}
	for m, k := range msgKeys {
		if !shape.MatchString(k) {
			t.Errorf("message %d: key %q is not snake case", m, k)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("messages %d and %d share the key %q", o, m, k)
		}
		seen[k] = msg(m)
	}
}

// fmtVerbs matches the verbs fmt.Sprintf fills, %% included.
var fmtVerbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// TestTranslationFiles checks the embedded files: exactly the keys of
// msgKeys in both, no empty text, the same fmt verbs in the same order in
// Chinese and English.
func TestTranslationFiles(t *testing.T) {
	for _, p := range messageProblems {
		t.Error(p)
	}
	for m := range msgCount {
		zh, en := messages[m][0], messages[m][1]
		if zh == "" || en == "" {
			t.Errorf("%s: empty text %q / %q", msgKeys[m], zh, en)
		}
		if a, b := fmtVerbs.FindAllString(zh, -1), fmtVerbs.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %q in Chinese, %q in English", msgKeys[m], a, b)
		}
	}
}

// TestTranslationFilesReadByFyne loads the files the way Fyne's lang package
// does (go-i18n) and asks for every key: the texts come back unchanged.
func TestTranslationFilesReadByFyne(t *testing.T) {
	for col, l := range langColumns {
		data, err := fs.ReadFile(assets.Translations(), translationFile("kiosk", l))
		if err != nil {
			t.Fatal(err)
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			t.Errorf("Fyne refuses %s: %v", translationFile("kiosk", l), err)
		}
		bundle := i18n.NewBundle(language.Make(string(l)))
		bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
		if _, err := bundle.ParseMessageFileBytes(data, translationFile("kiosk", l)); err != nil {
			t.Fatalf("go-i18n refuses %s: %v", translationFile("kiosk", l), err)
		}
		loc := i18n.NewLocalizer(bundle, string(l))
		for m, k := range msgKeys {
			got, err := loc.Localize(&i18n.LocalizeConfig{MessageID: k})
			if err != nil || got != messages[m][col] {
				t.Errorf("%s %s: go-i18n gives %q (%v), want %q", l, k, got, err, messages[m][col])
			}
		}
	}
}

package assets

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"testing"
)

// TestTranslations checks the shape of every translation file: named
// <app>.<lang>.json, a flat JSON object of texts, and for each app the same
// keys in every language. The kiosk's own test (app/ui) checks its keys
// against its message ids and the fmt verbs of each text.
func TestTranslations(t *testing.T) {
	name := regexp.MustCompile(`^([a-z]+)\.([a-z]{2})\.json$`)
	fsys := Translations()
	files, err := fs.Glob(fsys, "*")
	if err != nil {
		t.Fatal(err)
	}
	keysOf := map[string][]string{} // app → sorted keys of its first file
	firstOf := map[string]string{}  // app → that file's name
	langsOf := map[string][]string{}
	for _, f := range files {
		m := name.FindStringSubmatch(f)
		if m == nil {
			t.Errorf("%s: want <app>.<lang>.json", f)
			continue
		}
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(data, &texts); err != nil {
			t.Errorf("%s is not a flat JSON object of texts: %v", f, err)
			continue
		}
		app, keys := m[1], slices.Sorted(maps.Keys(texts))
		langsOf[app] = append(langsOf[app], m[2])
		if first, ok := firstOf[app]; !ok {
			keysOf[app], firstOf[app] = keys, f
		} else if !slices.Equal(keys, keysOf[app]) {
			t.Errorf("%s and %s have different keys", first, f)
		}
	}
	for _, app := range []string{"kiosk", "office"} {
		if got := langsOf[app]; !slices.Equal(got, []string{"en", "zh"}) {
			t.Errorf("%s translations in %v, want [en zh]", app, got)
		}
	}
}

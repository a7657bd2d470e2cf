package uitest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// recorder is a testing.TB that keeps the failures CheckTranslations
// reports instead of failing the test.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.failures = append(r.failures, fmt.Sprint(args...))
	runtime.Goexit()
}

// check runs CheckTranslations on the files and returns its failures.
func check(t *testing.T, zh, en string, keys []string, texts [][2]string) []string {
	fsys := fstest.MapFS{}
	if zh != "" {
		fsys["demo.zh.json"] = &fstest.MapFile{Data: []byte(zh)}
	}
	fsys["demo.en.json"] = &fstest.MapFile{Data: []byte(en)}
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		CheckTranslations(r, fsys, "demo", keys, texts)
	}()
	<-done
	return r.failures
}

func TestCheckTranslations(t *testing.T) {
	const (
		zh = `{"save": "保存", "saved_n": "已保存 %d 件"}`
		en = `{"save": "Save", "saved_n": "%d saved"}`
	)
	keys := []string{"save", "saved_n"}
	texts := [][2]string{{"保存", "Save"}, {"已保存 %d 件", "%d saved"}}
	tests := []struct {
		name   string
		zh, en string
		keys   []string
		texts  [][2]string
		want   string // in a failure; "" for none
	}{
		{"good", zh, en, keys, texts, ""},
		{"key missing in a file", zh, `{"save": "Save"}`, keys, texts, "demo.en.json has keys"},
		{"unknown key in a file", zh, `{"save": "Save", "saved_n": "%d saved", "extra": "x"}`, keys, texts, "demo.en.json has keys"},
		{"verbs differ", zh, en, keys, [][2]string{{"保存", "Save"}, {"已保存 %d 件", "%s saved"}}, `saved_n: verbs ["%d"] in Chinese, ["%s"] in English`},
		{"empty text", zh, en, keys, [][2]string{{"保存", " "}, texts[1]}, "save: empty text"},
		{"key not snake case", zh, en, []string{"Save", "saved_n"}, texts, `key "Save" is not snake case`},
		{"key twice", zh, en, []string{"save", "save"}, texts, `share the key "save"`},
		{"text not as loaded", zh, en, keys, [][2]string{{"保存", "Store"}, texts[1]}, `en save: go-i18n gives "Save"`},
		{"malformed file", zh, `{"save": `, keys, texts, "demo.en.json"},
		{"file missing", "", en, keys, texts, "demo.zh.json"},
		{"keys and texts differ in length", zh, en, keys, texts[:1], "2 keys, 1 texts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := check(t, tc.zh, tc.en, tc.keys, tc.texts)
			if tc.want == "" {
				if len(got) > 0 {
					t.Errorf("failures %q, want none", got)
				}
				return
			}
			if !strings.Contains(strings.Join(got, "\n"), tc.want) {
				t.Errorf("failures %q, want one with %q", got, tc.want)
			}
		})
	}
}

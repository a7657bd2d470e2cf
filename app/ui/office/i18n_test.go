package office

import (
	"bytes"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/app/ui/uitest"
	"github.com/gansu-credit/credit/assets"
)

// allKeys is every key of the office's texts, in the order of
// loadMessages, with the texts the package loaded for them.
func allKeys() ([]string, [][2]string) {
	return slices.Concat(msgKeys[:], syncMsgKeys[:], printMsgKeys[:]),
		slices.Concat(messages[:], syncMessages[:], printMessages[:])
}

// TestTranslationFiles checks the embedded office.{zh,en}.json against
// the id tables: one snake-case key per id, exactly those keys in both
// files, no empty text, the same fmt verbs in Chinese and English, read
// back unchanged by go-i18n; and no problem while loading.
func TestTranslationFiles(t *testing.T) {
	for _, p := range messageProblems {
		t.Error(p)
	}
	keys, texts := allKeys()
	if want := int(msgCount) + int(syncMsgCount) + int(printMsgCount); len(keys) != want {
		t.Fatalf("%d keys, want %d", len(keys), want)
	}
	uitest.CheckTranslations(t, assets.Translations(), "office", keys, texts)
}

// TestCounted checks the singular and plural keys: English's singular
// for exactly one, Chinese's one form for every number.
func TestCounted(t *testing.T) {
	tests := []struct {
		c    counted[msg]
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

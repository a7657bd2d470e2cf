package ui

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"
	"golang.org/x/text/encoding/simplifiedchinese"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/assets"
)

// TestFontRunes: the everyday subset maps every character of GB 2312 and
// of the whole font outside the ideographs and Hangul, nothing the whole
// font lacks, and not the rarer name characters.
func TestFontRunes(t *testing.T) {
	c := fontCoverage()
	if c.full == nil {
		t.Fatal("the embedded fonts' character maps cannot be read")
	}
	n := 0
	for r := rune(0); r < 0x10000; r++ {
		if c.common.has(r) {
			n++
			if !c.full.has(r) {
				t.Fatalf("the subset maps %U, the whole font does not", r)
			}
		}
	}
	if n < 8800 {
		t.Errorf("the subset maps %d characters, want ≥ 8,800", n)
	}
	// Every ideograph of GB 2312 (rows 16-87).
	gb := 0
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := simplifiedchinese.GBK.NewDecoder().Bytes([]byte{byte(hi), byte(lo)})
			if err != nil || !utf8Ideograph(s) {
				continue
			}
			gb++
			if r := []rune(string(s))[0]; !c.common.has(r) {
				t.Errorf("GB 2312 ideograph %c (%U) is not in the subset", r, r)
			}
		}
	}
	if gb != 6763 {
		t.Errorf("decoded %d GB 2312 ideographs, want 6,763", gb)
	}
	for _, tc := range []struct {
		r            rune
		common, full bool
	}{
		{'A', true, true}, {'张', true, true}, {'甘', true, true}, {'肃', true, true}, {'。', true, true},
		{'（', true, true}, {'①', true, true}, {'ア', true, true},
		{'堃', false, true}, {'赟', false, true}, {'喆', false, true}, {'镕', false, true}, {'한', false, true},
		{'𠀀', false, false}, {'😀', false, false},
	} {
		if c.common.has(tc.r) != tc.common || c.full.has(tc.r) != tc.full {
			t.Errorf("%c: subset %v whole %v, want %v %v", tc.r, c.common.has(tc.r), c.full.has(tc.r), tc.common, tc.full)
		}
	}
}

// utf8Ideograph reports whether s is one CJK unified ideograph.
func utf8Ideograph(s []byte) bool {
	rs := []rune(string(s))
	return len(rs) == 1 && rs[0] >= 0x4E00 && rs[0] <= 0x9FFF
}

func TestNeedsFullFont(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", false}, {"Lanzhou 730000", false}, {"张伟", false}, {"甘肃省兰州市城关区", false},
		{"（一）失信被执行人！", false}, {"张堃", true}, {"王赟", true}, {"李喆 Li Zhe", true},
		{"𠀀", false}, // in neither font: the whole font would not help
		{"한국", true},
	} {
		if got := needsFullFont(tc.s); got != tc.want {
			t.Errorf("needsFullFont(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// TestAnyNeedsFullFont walks nested view data: structs, pointers, slices,
// maps and interfaces, and leaves time values and mutexes alone.
func TestAnyNeedsFullFont(t *testing.T) {
	type inner struct {
		Notes map[string][]string
		Any   any
	}
	type outer struct {
		Name  string
		In    *inner
		List  []inner
		Bytes []byte
	}
	cyc := &outer{Name: "张伟"}
	cyc.In = &inner{Any: cyc} // a cycle ends the walk, it does not loop
	for _, tc := range []struct {
		name string
		v    []any
		want bool
	}{
		{"nil", []any{nil, (*app.Session)(nil)}, false},
		{"plain", []any{outer{Name: "张伟", In: &inner{Notes: map[string][]string{"a": {"甘肃"}}}}}, false},
		{"field", []any{outer{Name: "张堃"}}, true},
		{"map value", []any{outer{In: &inner{Notes: map[string][]string{"a": {"x", "赟"}}}}}, true},
		{"map key", []any{map[string]int{"喆": 1}}, true},
		{"slice of struct", []any{outer{List: []inner{{}, {Any: "镕"}}}}, true},
		{"bytes are not text", []any{outer{Bytes: []byte("堃")}}, false},
		{"cycle", []any{cyc}, false},
		{"session", []any{&app.Session{Card: credit.IDCard{Name: "张堃"}}}, true},
		{"session subject", []any{&app.Session{Subject: credit.Subject{Name: "张伟"}, Records: []app.RecordGroup{{Records: []credit.Record{{Title: "王赟案"}}}}}}, true},
	} {
		if got := anyNeedsFullFont(tc.v...); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if !anyNeedsFullFont(errorTexts(credit.Errorf(credit.EINVALID, "查无此人：张堃", "not found"))) {
		t.Error("an error message needing the whole font is not seen")
	}
	if anyNeedsFullFont(errorTexts(errors.New("plain"), nil)) {
		t.Error("a plain error needs the whole font")
	}
}

// TestCommonOutlinesMatchWhole: every character of the subset is drawn
// with the same outline and advance as in the whole font.
func TestCommonOutlinesMatchWhole(t *testing.T) {
	common, err := font.ParseTTF(bytes.NewReader(assets.FontCommon))
	if err != nil {
		t.Fatal(err)
	}
	whole, err := font.ParseTTF(bytes.NewReader(assets.FontRegular))
	if err != nil {
		t.Fatal(err)
	}
	c := fontCoverage()
	checked := 0
	for r := rune(0x20); r < 0x10000; r++ {
		if !c.common.has(r) {
			continue
		}
		gc, ok1 := common.NominalGlyph(r)
		gw, ok2 := whole.NominalGlyph(r)
		if !ok1 || !ok2 {
			t.Fatalf("%U: mapped in the subset %v, in the whole font %v", r, ok1, ok2)
		}
		if a, b := common.HorizontalAdvance(gc), whole.HorizontalAdvance(gw); a != b {
			t.Errorf("%c %U: advance %v in the subset, %v in the whole font", r, r, a, b)
		}
		if a, b := outline(common, gc), outline(whole, gw); !reflect.DeepEqual(a, b) {
			t.Errorf("%c %U: outline differs from the whole font", r, r)
		}
		checked++
	}
	if checked < 8800 {
		t.Errorf("compared %d characters", checked)
	}
}

func outline(f *font.Face, g font.GID) []font.Segment {
	o, ok := f.GlyphData(g).(font.GlyphOutline)
	if !ok {
		return nil
	}
	return o.Segments
}

// TestCommonFontCoversKioskText: every text of the translation table and
// every string literal in the packages the kiosk draws from can be drawn
// with the everyday subset, so only data from outside (names, records,
// what is typed) ever needs the whole font. A failure names the
// characters: add them to assets/fonts/common-extra.txt and run
// scripts/subset-font.sh.
func TestCommonFontCoversKioskText(t *testing.T) {
	for m := range msgCount {
		for _, lang := range []Lang{Chinese, English} {
			if s := t_(lang, m); needsFullFont(s) {
				t.Errorf("message %d (%s) needs the whole font: %q", m, lang, missingRunes(s))
			}
		}
	}
	fset := token.NewFileSet()
	for _, dir := range []string{"../..", "..", ".", "kioskwidget"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && needsFullFont(s) {
					t.Errorf("%s: %q needs the whole font (%s)", fset.Position(lit.Pos()), s, missingRunes(s))
				}
				return true
			})
		}
	}
}

// t_ is t without the test's shadowing of the name.
var t_ = t

func missingRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if needsFullFont(string(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsFullFont reports whether s has a character the everyday font lacks
// and the whole font has.
func needsFullFont(s string) bool { return len(rareRunesIn(s)) > 0 }

// anyNeedsFullFont reports whether rareRunesIn(values...) is not empty.
func anyNeedsFullFont(values ...any) bool { return len(rareRunesIn(values...)) > 0 }

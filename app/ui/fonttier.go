package ui

// The kiosk draws with a subset of its CJK font (issue 7: RSS ≤ 150 MB). Fyne
// parses the theme's font whole, and for the whole WenQuanYi Micro Hei
// (20,932 ideographs, Hangul, symbols) that is ≈ 17 MB of heap that stays
// for the life of the process. Nearly every text needs far less: the
// everyday font (assets.FontCommon) has every character of the whole font
// except the ideographs outside GB 2312 and Hangul, and parses in ≈ 6 MB.
// The kiosk draws with it, and as soon as anything it is about to show —
// the holder's name, a record, a business found, an error, what the
// holder types — has characters only the whole font has (堃, 赟 or 喆 in a
// name), it switches to the everyday font with those characters' glyphs
// added from the whole font (assets.FontWith; a theme change: Fyne drops
// its parsed faces and lays every text out again). The added characters
// stay until the kiosk is back on the home screen with no session, search
// or check left. A character neither font has shows as a box either way.

import (
	"fmt"
	"reflect"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
)

var (
	// fullFontResource is the whole embedded WenQuanYi Micro Hei.
	fullFontResource = fyne.NewStaticResource("wqy-microhei.ttf", assets.FontRegular)
	// commonFontResource is its everyday subset (assets.FontCommon).
	commonFontResource = fyne.NewStaticResource("wqy-microhei-common.ttf", assets.FontCommon)
)

// runeSet is the set of characters a font maps, Basic Multilingual Plane
// only (WenQuanYi has nothing beyond it): 8 KiB.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && s[r>>6]&(1<<(uint(r)&63)) != 0
}

// fontRunes reads the character map of a TrueType font, without parsing
// its glyphs (assets.Characters, the reader FontWith uses too).
func fontRunes(data []byte) (*runeSet, error) {
	s := new(runeSet)
	err := assets.Characters(data, func(r rune) {
		if r >= 0 && r < 0x10000 {
			s[r>>6] |= 1 << (uint(r) & 63)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("font runes: %w", err)
	}
	return s, nil
}

// fontCoverage is what the two fonts map, read once. With either font
// unreadable (never for the embedded ones; TestFontRunes) every text
// counts as needing the whole font, which is always correct, only larger.
var fontCoverage = sync.OnceValue(func() (c struct{ common, full *runeSet }) {
	var errC, errF error
	c.common, errC = fontRunes(assets.FontCommon)
	c.full, errF = fontRunes(assets.FontRegular)
	if errC != nil || errF != nil {
		c.common, c.full = new(runeSet), nil
	}
	return c
})

// rareRunes adds to set the characters of s that the everyday font lacks
// and the whole font has.
func rareRunes(s string, set map[rune]bool) {
	c := fontCoverage()
	for _, r := range s {
		if r < 0x80 || c.common.has(r) {
			continue
		}
		if c.full == nil || c.full.has(r) {
			set[r] = true
		}
	}
}

// rareRunesIn walks plain data values — strings, structs, slices, arrays,
// maps, pointers and interfaces holding them — and returns, sorted, the
// characters of their strings that need the whole font. It does not
// descend into time values or sync primitives (nothing shown; and reading
// a mutex that another goroutine holds would race).
func rareRunesIn(values ...any) []rune {
	seen, set := map[seenPtr]int{}, map[rune]bool{}
	for _, v := range values {
		walkRare(reflect.ValueOf(v), seen, set, 0)
	}
	out := make([]rune, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// maxWalkDepth bounds rareRunesIn's descent; the kiosk's view data
// is a few levels deep (session → group → record → change).
const maxWalkDepth = 12

// seenPtr is a pointer walkRare has followed: the address and the type
// pointed to (a pointer to a struct's first field has the struct's
// address, and must not stop the struct's other fields being read).
type seenPtr struct {
	p uintptr
	t reflect.Type
}

// walkRare adds the rare characters of v's strings to set. seen holds the
// depth each pointer was followed at: one met again no deeper is not
// followed again (cycles end), one met higher up is, as the walk may have
// stopped at the depth limit below it the first time.
func walkRare(v reflect.Value, seen map[seenPtr]int, set map[rune]bool, depth int) {
	if !v.IsValid() || depth > maxWalkDepth {
		return
	}
	switch v.Kind() {
	case reflect.String:
		rareRunes(v.String(), set)
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		k := seenPtr{v.Pointer(), v.Type()}
		if d, ok := seen[k]; ok && d <= depth {
			return
		}
		seen[k] = depth
		walkRare(v.Elem(), seen, set, depth+1)
	case reflect.Interface:
		walkRare(v.Elem(), seen, set, depth+1)
	case reflect.Struct:
		switch v.Type().PkgPath() {
		case "time", "sync", "sync/atomic":
			return
		}
		for i := range v.NumField() {
			walkRare(v.Field(i), seen, set, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (photos, signatures) are not text
		}
		for i := range v.Len() {
			walkRare(v.Index(i), seen, set, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			walkRare(it.Key(), seen, set, depth+1)
			walkRare(it.Value(), seen, set, depth+1)
		}
	}
}

// errorTexts are the messages of errs as the kiosk shows them, in both
// languages.
func errorTexts(errs ...error) []string {
	var out []string
	for _, err := range errs {
		if err != nil {
			out = append(out, credit.ErrorMessage(err), credit.ErrorMessageEN(err))
		}
	}
	return out
}

// shownData is everything the current state can put on screen that does
// not come from the translation table: the session, the business search,
// receipts, checks, drafts, errors and what is typed in the entries.
func (u *UI) shownData() []any {
	var syncErr error
	if u.syncInfo != nil {
		syncErr = u.syncInfo.Err
	}
	return []any{
		u.session, u.org, u.results, u.query, u.receipt, u.restored,
		u.draft.statement, u.draft.contact, u.rdraft.performance, u.rdraft.contact,
		u.verifyText, u.verified, u.statusNo, u.progress,
		u.printing.done, u.reporting.done,
		errorTexts(u.lastErr, u.printing.err, u.reporting.err, syncErr),
		u.entryTexts(),
	}
}

// entryTexts is what the entries on screen hold now.
func (u *UI) entryTexts() []string {
	var out []string
	for _, e := range u.liveEntries() {
		out = append(out, e.Text)
	}
	return out
}

// pickFont extends the font with the rare characters what is about to be
// shown needs, and goes back to the everyday font once the kiosk is on the
// home screen with nothing of a holder, search or check left.
func (u *UI) pickFont() {
	need := rareRunesIn(u.shownData()...)
	if len(need) == 0 && len(u.fontRunes) > 0 && u.screen == screenHome && u.session == nil {
		u.setFontRunes(nil)
		return
	}
	u.ensureRunes(need)
}

// fontForText extends the font at once for a text set outside render:
// what the holder types (the entries' change hook), and the sync status
// line, print results and form errors.
func (u *UI) fontForText(s string) { u.ensureRunes(rareRunesIn(s)) }

// ensureRunes extends the font with need unless it has them all. The
// characters added stay until the kiosk is back home (pickFont): a holder
// never sees the font change twice under their eyes.
func (u *UI) ensureRunes(need []rune) {
	missing := false
	for _, r := range need {
		if _, ok := slices.BinarySearch(u.fontRunes, r); !ok {
			missing = true
			break
		}
	}
	if !missing {
		return
	}
	all := slices.Concat(u.fontRunes, need)
	slices.Sort(all)
	u.setFontRunes(slices.Compact(all))
}

// setFontRunes makes the kiosk draw with the everyday font plus rs (none:
// the everyday font alone). The theme change makes Fyne drop its parsed
// faces and lay every text out again. Should the font not build, the
// whole font is used: larger, never a missing character.
func (u *UI) setFontRunes(rs []rune) {
	u.fontRunes, u.font = rs, nil
	if len(rs) > 0 {
		b, err := assets.FontWith(rs)
		if err != nil {
			u.log.Error("kiosk font: rare characters", "err", err)
			u.font = fullFontResource
		} else {
			u.font = fyne.NewStaticResource(fmt.Sprintf("wqy-microhei-common+%d.ttf", len(rs)), b)
		}
	}
	u.log.Info("kiosk font", "rare_characters", len(rs))
	if a := fyne.CurrentApp(); a != nil {
		a.Settings().SetTheme(u.theme())
	}
}

// FontExtended reports whether the kiosk draws with rare characters added
// to the everyday font now.
func (u *UI) FontExtended() bool { return len(u.fontRunes) > 0 }

// liveEntries are the entries of the screen shown (entries of screens
// left behind keep their last text in the drafts and queries above).
func (u *UI) liveEntries() []*widget.Entry {
	var es []*widget.Entry
	switch u.screen {
	case screenSearch:
		es = append(es, u.search.entry)
	case screenVerify:
		es = append(es, u.verifyView.entry)
	case screenStatus:
		es = append(es, u.statusView.entry)
	case screenObjection:
		es = append(es, u.form.statement, u.form.contact)
	case screenRestoration:
		es = append(es, u.wizard.performance, u.wizard.contact)
	}
	return slices.DeleteFunc(es, func(e *widget.Entry) bool { return e == nil })
}

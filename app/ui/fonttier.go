package ui

// The kiosk draws with one of two fonts (issue 7: RSS ≤ 150 MB). Fyne
// parses the theme's font whole, and for the whole WenQuanYi Micro Hei
// (20,932 ideographs, Hangul, symbols) that is ≈ 17 MB of heap that stays
// for the life of the process. Nearly every text needs far less: the
// everyday font (assets.FontCommon) has every character of the whole font
// except the ideographs outside GB 2312 and Hangul, and parses in ≈ 6 MB.
// The kiosk draws with it, and switches to the whole font (a theme change:
// Fyne drops its parsed faces and lays every text out again) as soon as
// anything it is about to show — the holder's name, a record, a business
// found, an error, what the holder types — has a character only the
// whole font has, such as 堃, 赟 or 喆 in a name. It keeps the whole font
// until it is back on the home screen with no session, search or check
// left, so a holder never sees the font change under their eyes twice.
// A character neither font has shows as a box either way.

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"

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

// fontRunes reads the character map of an OpenType font, without parsing
// its glyphs.
func fontRunes(data []byte) (*runeSet, error) {
	ld, err := opentype.NewLoader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("font runes: %w", err)
	}
	raw, err := ld.RawTable(opentype.MustNewTag("cmap"))
	if err != nil {
		return nil, fmt.Errorf("font runes: %w", err)
	}
	tab, _, err := tables.ParseCmap(raw)
	if err != nil {
		return nil, fmt.Errorf("font runes: %w", err)
	}
	cmap, _, err := font.ProcessCmap(tab, 0)
	if err != nil {
		return nil, fmt.Errorf("font runes: %w", err)
	}
	s := new(runeSet)
	for it := cmap.Iter(); it.Next(); {
		if r, _ := it.Char(); r >= 0 && r < 0x10000 {
			s[r>>6] |= 1 << (uint(r) & 63)
		}
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

// needsFullFont reports whether s has a character the everyday font lacks
// and the whole font has.
func needsFullFont(s string) bool {
	c := fontCoverage()
	for _, r := range s {
		if r < 0x80 || c.common.has(r) {
			continue
		}
		if c.full == nil || c.full.has(r) {
			return true
		}
	}
	return false
}

// anyNeedsFullFont walks plain data values — strings, structs, slices,
// arrays, maps, pointers and interfaces holding them — and reports
// whether any string in them needs the whole font. It does not descend
// into time values or sync primitives (nothing shown; and reading a mutex
// that another goroutine holds would race).
func anyNeedsFullFont(values ...any) bool {
	seen := map[uintptr]bool{}
	for _, v := range values {
		if walkNeedsFullFont(reflect.ValueOf(v), seen, 0) {
			return true
		}
	}
	return false
}

// maxWalkDepth bounds anyNeedsFullFont's descent; the kiosk's view data
// is a few levels deep (session → group → record → change).
const maxWalkDepth = 12

func walkNeedsFullFont(v reflect.Value, seen map[uintptr]bool, depth int) bool {
	if !v.IsValid() || depth > maxWalkDepth {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return needsFullFont(v.String())
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return false
		}
		seen[v.Pointer()] = true
		return walkNeedsFullFont(v.Elem(), seen, depth+1)
	case reflect.Interface:
		return walkNeedsFullFont(v.Elem(), seen, depth+1)
	case reflect.Struct:
		switch v.Type().PkgPath() {
		case "time", "sync", "sync/atomic":
			return false
		}
		for i := range v.NumField() {
			if walkNeedsFullFont(v.Field(i), seen, depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false // bytes (photos, signatures) are not text
		}
		for i := range v.Len() {
			if walkNeedsFullFont(v.Index(i), seen, depth+1) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if walkNeedsFullFont(it.Key(), seen, depth+1) || walkNeedsFullFont(it.Value(), seen, depth+1) {
				return true
			}
		}
	}
	return false
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

// pickFont switches to the whole font when what is about to be shown
// needs it, and back to the everyday font once the kiosk is on the home
// screen with nothing of a holder, search or check left.
func (u *UI) pickFont() {
	switch {
	case !u.fullFont && anyNeedsFullFont(u.shownData()...):
		u.setFullFont(true)
	case u.fullFont && u.screen == screenHome && u.session == nil && !anyNeedsFullFont(u.shownData()...):
		u.setFullFont(false)
	}
}

// fontForTyped is the entries' change hook: typed text that needs the
// whole font switches to it at once.
func (u *UI) fontForTyped(s string) {
	if !u.fullFont && needsFullFont(s) {
		u.setFullFont(true)
	}
}

// setFullFont switches the font the kiosk draws with. The theme change
// makes Fyne drop its parsed faces and lay every text out again.
func (u *UI) setFullFont(full bool) {
	u.fullFont = full
	u.log.Info("kiosk font", "whole", full)
	if a := fyne.CurrentApp(); a != nil {
		a.Settings().SetTheme(u.theme())
	}
}

// FullFont reports whether the kiosk draws with the whole font now.
func (u *UI) FullFont() bool { return u.fullFont }

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

// Package assets embeds the files the apps and reports need at run time:
// the CJK font, the official holiday calendars, the apps' translations and
// (later) icons. It exposes plain bytes and fs.FS, no toolkit types, so every
// layer may use it.
package assets

import (
	"embed"
	_ "embed"
	"io/fs"
)

// FontRegular is WenQuanYi Micro Hei (Apache-2.0, see fonts/LICENSE-wqy-microhei.txt):
// one face covering Latin letters, digits and 20,932 CJK ideographs. It is
// used for every text style in the UI and in PDF reports, so goldens and
// printouts look the same on every machine.
//
//go:embed fonts/wqy-microhei.ttf
var FontRegular []byte

// FontCommon is a subset of FontRegular (modified by us, see
// fonts/LICENSE-wqy-microhei.txt): every character of it that is not a CJK
// ideograph or Hangul, the 6,763 ideographs of GB 2312 and those listed in
// fonts/common-extra.txt, with FontRegular's outlines and metrics
// unchanged. Parsed in about a third of the memory of FontRegular, it is
// the kiosk's everyday font; the kiosk switches to FontRegular while a
// text needs a character the subset lacks. Regenerate it with
// scripts/subset-font.sh.
//
//go:embed fonts/wqy-microhei-common.ttf
var FontCommon []byte

//go:embed holidays/*.json holidays/LICENSE
var holidays embed.FS

// Holidays returns the official holiday calendars (NateScarlet/holiday-cn,
// MIT), one YYYY.json per year.
func Holidays() fs.FS {
	sub, err := fs.Sub(holidays, "holidays")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

//go:embed lang/*.json
var translations embed.FS

// Translations returns the apps' texts, one flat JSON object ("key": "text",
// the format of Fyne's lang package and go-i18n) per app and language, named
// <app>.<lang>.json: kiosk.zh.json, kiosk.en.json, office.zh.json and
// office.en.json. Texts keep their fmt verbs (%s, %d); the same key has
// the same verbs, in the same order, in every language.
func Translations() fs.FS {
	sub, err := fs.Sub(translations, "lang")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

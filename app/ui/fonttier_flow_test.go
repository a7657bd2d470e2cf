package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

// activeFont is the font the app's theme serves now.
func activeFont() string {
	return fyne.CurrentApp().Settings().Theme().Font(fyne.TextStyle{}).Name()
}

// assertDrawable fails if any text on the window has a character the font
// the kiosk draws with lacks while the whole font has it: that character
// would show as a box.
func assertDrawable(t *testing.T, k *kiosk, step string) {
	t.Helper()
	c := fontCoverage()
	set := c.common
	if activeFont() == fullFontResource.Name() {
		set = c.full
	}
	for _, s := range texts(k.w) {
		for _, r := range s {
			if r >= 0x80 && !set.has(r) && c.full.has(r) {
				t.Errorf("%s: %q has %c, which %s cannot draw", step, s, r, activeFont())
			}
		}
	}
	if want := k.ui.FullFont(); (activeFont() == fullFontResource.Name()) != want {
		t.Errorf("%s: the theme serves %s, the UI thinks whole=%v", step, activeFont(), want)
	}
}

// TestRareNameDrawsWithWholeFont: a holder whose name has a character
// outside the everyday subset (堃) is shown with the whole font on every
// screen of the session, and the kiosk is back on the subset once the
// session ends. A holder with common characters never loads the whole
// font.
func TestRareNameDrawsWithWholeFont(t *testing.T) {
	for _, tc := range []struct {
		name  string
		whole bool
	}{{"张堃", true}, {apptest.PersonName, false}} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKiosk(t, true)
			u := k.ui
			card := apptest.PersonCard()
			card.Name = tc.name
			k.card.Set(card, nil)
			assertDrawable(t, k, "home")
			if u.FullFont() {
				t.Fatal("the kiosk starts with the whole font")
			}
			k.readCard(t)
			if u.FullFont() != tc.whole {
				t.Fatalf("records of %s: whole font %v, want %v", tc.name, u.FullFont(), tc.whole)
			}
			if !strings.Contains(u.records.holderName.Text, tc.name) {
				t.Fatalf("holder %q", u.records.holderName.Text)
			}
			assertDrawable(t, k, "records")
			openRecord(t, u, apptest.RecUntr)
			assertDrawable(t, k, "record")
			test.Tap(u.page.view.objectBtn)
			assertDrawable(t, k, "objection form")
			test.Tap(u.form.cancelBtn)
			test.Tap(u.records.finishBtn)
			if u.screen != screenHome || u.FullFont() || activeFont() != commonFontResource.Name() {
				t.Errorf("after the session: screen %d, whole font %v, theme font %s", u.screen, u.FullFont(), activeFont())
			}
			assertDrawable(t, k, "home again")
		})
	}
}

// TestRareDataSwitchesFont: a business name, typed text and an error
// message with a rare character each switch to the whole font before
// they are drawn; leaving for the home screen switches back.
func TestRareDataSwitchesFont(t *testing.T) {
	t.Run("business found", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		subjects, _ := apptest.FixtureData()
		org := subjects[1]
		if org.Kind == credit.NaturalPerson {
			t.Fatal("fixture order changed: subjects[1] is a person")
		}
		org.Name = "兰州赟达商贸有限公司"
		k.mem.Put(org)
		test.Tap(u.home.searchBtn)
		test.Type(u.search.entry, "兰州")
		if u.FullFont() {
			t.Fatal("typing common characters switched the font")
		}
		test.Tap(u.search.searchBtn)
		if !u.FullFont() || !shows(k.w, org.Name) {
			t.Fatalf("results: whole font %v, shown %v", u.FullFont(), shows(k.w, org.Name))
		}
		assertDrawable(t, k, "results")
		test.Tap(u.homeBtn)
		if u.FullFont() {
			t.Error("the home screen kept the whole font")
		}
		assertDrawable(t, k, "home")
	})
	t.Run("typed", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		test.Tap(u.home.searchBtn)
		test.Type(u.search.entry, "喆")
		if !u.FullFont() {
			t.Fatal("typing 喆 kept the everyday font")
		}
		assertDrawable(t, k, "typed")
		u.render() // a render with the text still typed keeps the font
		if !u.FullFont() {
			t.Fatal("a render with 喆 in the entry dropped the whole font")
		}
		test.Tap(u.homeBtn)
		if u.FullFont() {
			t.Error("the home screen kept the whole font")
		}
	})
	t.Run("error", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		u.showError(credit.Errorf(credit.ENOTFOUND, "未找到：镕", "not found"))
		if !u.FullFont() {
			t.Fatal("an error with 镕 kept the everyday font")
		}
		assertDrawable(t, k, "error")
	})
}

// TestRareNameFromCardWatch: a session the card watch opens (an event,
// not a tap) switches too.
func TestRareNameFromCardWatch(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = k.svc.RunCardWatch(ctx, time.Millisecond) }()
	defer func() { stop(); <-done }()
	card := apptest.PersonCard()
	card.Name = "李赟"
	k.card.Set(card, nil)
	k.waitFor(t, func() bool { return u.screen == screenRecords })
	if !u.FullFont() {
		t.Fatal("a session from the card watch kept the everyday font")
	}
	assertDrawable(t, k, "records")
}

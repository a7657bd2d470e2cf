package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// activeFont is the font the app's theme serves now.
func activeFont() fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Font(fyne.TextStyle{})
}

// assertDrawable fails if any text on the window has a character the font
// the kiosk draws with lacks while the whole font has it (it would show as
// a box), or if the kiosk draws with the whole font: rare characters are
// added to the everyday font, the whole font is only the fallback.
func assertDrawable(t *testing.T, k *kiosk, step string) {
	t.Helper()
	res := activeFont()
	set, err := fontRunes(res.Content())
	if err != nil {
		t.Fatalf("%s: the theme's font %s: %v", step, res.Name(), err)
	}
	full := fontCoverage().full
	for _, s := range texts(k.w) {
		for _, r := range s {
			if r >= 0x80 && !set.has(r) && full.has(r) {
				t.Errorf("%s: %q has %c, which %s cannot draw", step, s, r, res.Name())
			}
		}
	}
	if extended := res.Name() != commonFontResource.Name(); extended != k.ui.FontExtended() {
		t.Errorf("%s: the theme serves %s, the UI says extended=%v", step, res.Name(), k.ui.FontExtended())
	}
	if res.Name() == fullFontResource.Name() {
		t.Errorf("%s: the kiosk draws with the whole font", step)
	}
}

// TestRareNameExtendsFont: a holder whose name has a character outside
// the everyday subset (堃) is shown with that character added to the font
// on every screen of the session, and the kiosk is back on the plain
// subset once the session ends. A holder with common characters never
// changes the font.
func TestRareNameExtendsFont(t *testing.T) {
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
			if u.FontExtended() {
				t.Fatal("the kiosk starts with an extended font")
			}
			k.readCard(t)
			if u.FontExtended() != tc.whole {
				t.Fatalf("records of %s: extended %v, want %v", tc.name, u.FontExtended(), tc.whole)
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
			if u.screen != screenHome || u.FontExtended() || activeFont().Name() != commonFontResource.Name() {
				t.Errorf("after the session: screen %d, extended %v, theme font %s", u.screen, u.FontExtended(), activeFont().Name())
			}
			assertDrawable(t, k, "home again")
		})
	}
}

// TestRareDataSwitchesFont: a business name, typed text and an error
// message with a rare character each extend the font before they are
// drawn; the characters accumulate; leaving for the home screen goes back
// to the plain subset.
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
		if u.FontExtended() {
			t.Fatal("typing common characters switched the font")
		}
		test.Tap(u.search.searchBtn)
		if !u.FontExtended() || !shows(k.w, org.Name) {
			t.Fatalf("results: extended %v, shown %v", u.FontExtended(), shows(k.w, org.Name))
		}
		assertDrawable(t, k, "results")
		test.Type(u.search.entry, "喆") // typed after the results: both characters now
		if want := []rune("喆赟"); !slices.Equal(u.fontRunes, want) {
			t.Errorf("font has %q added, want %q", string(u.fontRunes), string(want))
		}
		assertDrawable(t, k, "results and typed")
		test.Tap(u.homeBtn)
		if u.FontExtended() {
			t.Error("the home screen kept the extended font")
		}
		assertDrawable(t, k, "home")
	})
	t.Run("typed", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		test.Tap(u.home.searchBtn)
		test.Type(u.search.entry, "喆")
		if !u.FontExtended() {
			t.Fatal("typing 喆 did not extend the font")
		}
		assertDrawable(t, k, "typed")
		u.render() // a render with the text still typed keeps the font
		if !u.FontExtended() {
			t.Fatal("a render with 喆 in the entry dropped it from the font")
		}
		test.Tap(u.homeBtn)
		if u.FontExtended() {
			t.Error("the home screen kept the extended font")
		}
	})
	t.Run("sync status line", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		k.svc.PublishSync(app.SyncInfo{Phase: app.SyncFailed, Err: credit.Errorf(credit.EUNAVAILABLE, "平台答复：镕", "refused")})
		k.waitFor(t, func() bool { return strings.Contains(u.status.Text, "镕") })
		if !u.FontExtended() {
			t.Fatal("a sync error with 镕 in the status line did not extend the font")
		}
		assertDrawable(t, k, "status line")
	})
	t.Run("form error", func(t *testing.T) {
		k := newKiosk(t, true)
		u := k.ui
		k.readCard(t)
		test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
		u.form.typ.SetSelected("超过公示期限")
		test.Type(u.form.statement, "公示期已满。")
		k.mem.Fail["SaveObjection"] = credit.Errorf(credit.EUNAVAILABLE, "暂不能保存：喆", "cannot save")
		test.Tap(u.form.submitBtn)
		if !strings.Contains(u.form.errLabel.Text, "喆") {
			t.Fatalf("form error %q", u.form.errLabel.Text)
		}
		if want := []rune("喆"); !slices.Equal(u.fontRunes, want) {
			t.Fatalf("font has %q added, want %q", string(u.fontRunes), string(want))
		}
		assertDrawable(t, k, "form error")
	})
	t.Run("error", func(t *testing.T) {
		k := newKiosk(t, false)
		u := k.ui
		u.showError(credit.Errorf(credit.ENOTFOUND, "未找到：镕", "not found"))
		if !u.FontExtended() {
			t.Fatal("an error with 镕 did not extend the font")
		}
		assertDrawable(t, k, "error")
	})
}

// TestRareNameFromCardWatch: a session the card watch opens (an event,
// not a tap) switches too.
func TestRareNameFromCardWatch(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.watchEmptyReader(t)
	card := apptest.PersonCard()
	card.Name = "李赟"
	k.card.Set(card, nil)
	k.waitFor(t, func() bool { return u.screen == screenRecords })
	if !u.FontExtended() {
		t.Fatal("a session from the card watch did not extend the font")
	}
	assertDrawable(t, k, "records")
}

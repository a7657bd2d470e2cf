package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestOneTextStyle walks every kiosk screen, in both languages and both
// themes, through the states the screen tests reach (a card error, the
// records with the idle countdown and a printed report, the objection
// form with its errors and its type list open, both receipts printed,
// each restoration step, a verified and an altered code, an application's
// status, business search with and without results), and checks that
// every text drawn is in the regular style: no canvas.Text, rich-text
// segment, label or entry is bold, italic, monospace or symbol, and none
// brings its own font. Fyne parses the theme's font once per text style
// (issue 7: the embedded WenQuanYi, ≈ 18 MB of heap a parse, has no bold
// weight anyway), so the kiosk must ask for one style only; the test also
// checks the styles Fyne actually asked the kiosk theme for.
func TestOneTextStyle(t *testing.T) {
	// Chinese in the normal theme and English in high contrast cover both
	// languages and both themes (as TestScreensFitAndTargetsAreLarge);
	// all four pairs cost twice the time for no other widget.
	for _, v := range []struct {
		lang     Lang
		contrast bool
	}{{Chinese, false}, {English, true}} {
		t.Run(fmt.Sprintf("%s/contrast=%v", v.lang, v.contrast), func(t *testing.T) {
			fontStylesAsked.Clear()
			k := newPrintKiosk(t, true, true)
			ts := &timers{}
			k.ui.Close() // rebuilt with a recorded idle timer
			o := k.opts()
			o.AfterFunc = ts.after
			k.ui = New(k.svc, o)
			k.ui.Show(k.w)
			if v.lang == English {
				test.Tap(k.ui.langBtn)
			}
			if v.contrast {
				test.Tap(k.ui.contrastBtn)
			}
			steps := 0
			allScreens(t, k, ts, func(step string) {
				steps++
				checkRegularText(t, k.w, step)
			})
			if steps < 25 {
				t.Errorf("only %d steps checked", steps)
			}
			fontStylesAsked.Range(func(key, _ any) bool {
				if s := key.(fyne.TextStyle); s != (fyne.TextStyle{}) {
					t.Errorf("Fyne asked the theme for the font in style %+v: the font is parsed once more", s)
				}
				return true
			})
			if _, ok := fontStylesAsked.Load(fyne.TextStyle{}); !ok {
				t.Error("Fyne never asked the theme for the regular font: the check above proves nothing")
			}
		})
	}
}

// checkRegularText reports every text on w, overlays included, that is
// not in the regular style or carries its own font.
func checkRegularText(t *testing.T, w fyne.Window, step string) {
	t.Helper()
	objs := test.LaidOutObjects(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	regular := fyne.TextStyle{}
	texts := 0
	for _, o := range objs {
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				texts++
			}
			if x.TextStyle != regular || x.FontSource != nil {
				t.Errorf("%s: text %q in style %+v (own font %v)", step, x.Text, x.TextStyle, x.FontSource != nil)
			}
		case *widget.RichText:
			for _, seg := range x.Segments {
				if s, ok := seg.(*widget.TextSegment); ok && s.Style.TextStyle != regular {
					t.Errorf("%s: rich-text segment %q in style %+v", step, s.Text, s.Style.TextStyle)
				}
			}
		case *widget.Label:
			if x.TextStyle != regular {
				t.Errorf("%s: label %q in style %+v", step, x.Text, x.TextStyle)
			}
		case *widget.Entry:
			if x.TextStyle != regular {
				t.Errorf("%s: entry %q in style %+v", step, x.Text, x.TextStyle)
			}
		}
	}
	if texts == 0 {
		t.Errorf("%s: no text drawn", step)
	}
}

// allScreens walks k through every kiosk screen and the states the screen
// tests reach, calling check on each. ts records the idle timers.
func allScreens(t *testing.T, k *printKiosk, ts *timers, check func(step string)) {
	t.Helper()
	u := k.ui
	check("home")
	k.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	test.Tap(u.home.readCardBtn)
	check("home with a card error")
	k.card.Set(apptest.PersonCard(), nil)
	k.readCard(t)
	check("records")
	ts.f[len(ts.f)-1]() // the quiet period is over: the countdown shows
	k.pump()
	if !u.countdownBar.Visible() {
		t.Fatal("no idle countdown")
	}
	check("records with the idle countdown")
	test.Tap(u.continueBtn)
	test.Tap(u.records.reportBtn)
	check("records with the report printed")

	test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
	test.Tap(u.form.submitBtn)
	check("objection form with its errors")
	test.Tap(u.form.typ)
	if k.w.Canvas().Overlays().Top() == nil {
		t.Fatal("the objection type list did not open")
	}
	check("objection type list open")
	k.w.Canvas().Overlays().Remove(k.w.Canvas().Overlays().Top())
	u.form.typ.SetSelectedIndex(0)
	test.Type(u.form.statement, "公示期已满，仍在公示。")
	test.Tap(u.form.submitBtn)
	if u.screen != screenReceipt {
		t.Fatalf("screen %d after submitting (form error %q)", u.screen, u.form.errLabel.Text)
	}
	test.Tap(u.receiptView.printBtn)
	check("objection receipt, printed")
	code, no := k.slips.Slips()[0].QR, k.mem.SavedObjections()[0].No
	test.Tap(u.receiptView.backBtn)
	check("records with a record under objection")

	test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
	w := &u.wizard
	test.Tap(w.nextBtn)
	check("restoration without a statement")
	test.Type(w.performance, "已缴清罚款。")
	test.Tap(w.nextBtn)
	check("restoration: the commitment letter")
	test.Tap(w.nextBtn)
	check("restoration: sign")
	test.Tap(w.sign)
	test.Tap(w.nextBtn)
	test.Type(w.contact, "13800000000")
	check("restoration: contact")
	test.Tap(w.nextBtn)
	check("restoration: review")
	test.Tap(w.submitBtn)
	if u.screen != screenReceipt {
		t.Fatalf("screen %d after the restoration (%q)", u.screen, w.errLabel.Text)
	}
	test.Tap(u.receiptView.printBtn)
	check("restoration receipt, printed")
	test.Tap(u.receiptView.backBtn)
	check("records with a restoration applied and reprint buttons")
	test.Tap(u.records.finishBtn)

	test.Tap(u.home.verifyBtn)
	check("verify")
	test.Type(u.verifyView.entry, code)
	test.Tap(u.verifyView.verifyBtn)
	check("verify: genuine")
	u.verifyView.entry.SetText(code[:len(code)-3] + "AAA")
	test.Tap(u.verifyView.verifyBtn)
	check("verify: altered")
	test.Tap(u.homeBtn)

	test.Tap(u.home.statusBtn)
	check("application status")
	test.Type(u.statusView.entry, no)
	test.Tap(u.statusView.lookupBtn)
	check("application status found")
	test.Tap(u.homeBtn)

	test.Tap(u.home.searchBtn)
	check("search")
	test.Type(u.search.entry, "物流")
	test.Tap(u.search.searchBtn)
	check("search results")
	test.Tap(u.search.results[0])
	check("a business's records")
	test.Tap(u.orgView.backBtn)
	u.search.entry.SetText("无此企业" + strings.Repeat("名", 3))
	test.Tap(u.search.searchBtn)
	check("search without results")
	test.Tap(u.homeBtn)
	check("home again")
}

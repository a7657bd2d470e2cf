package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// kioskSizes are the screens the kiosk must work on (issue 7).
var kioskSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}, {Width: 1080, Height: 1920}}

// mainScreens walks the kiosk through its main screens, calling check on
// each once it is shown.
func mainScreens(t *testing.T, k *printKiosk, check func(name string)) {
	t.Helper()
	u := k.ui
	check("home")
	test.Tap(u.home.searchBtn)
	test.Type(u.search.entry, "物流")
	test.Tap(u.search.searchBtn)
	check("search")
	test.Tap(u.homeBtn)
	test.Tap(u.home.verifyBtn)
	check("verify")
	test.Tap(u.homeBtn)
	test.Tap(u.home.statusBtn)
	check("status")
	test.Tap(u.homeBtn)
	k.readCard(t)
	check("records")
	test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
	check("restoration wizard")
	test.Tap(u.wizard.cancelBtn)
	test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
	u.form.typ.SetSelectedIndex(0)
	test.Type(u.form.statement, "公示期已满，仍在公示。")
	test.Tap(u.form.submitBtn)
	if u.screen != screenReceipt {
		t.Fatalf("screen %d after submitting (form error %q)", u.screen, u.form.errLabel.Text)
	}
	check("receipt")
	test.Tap(u.receiptView.backBtn)
	test.Tap(openRecord(t, u, apptest.RecUntr2).objectBtn)
	test.Tap(u.form.submitBtn) // the in-place errors show too
	check("objection form")
	test.Tap(u.form.cancelBtn)
	test.Tap(u.records.finishBtn)
}

// TestScreensFitAndTargetsAreLarge builds the main screens at 1024×768,
// 1920×1080 and portrait 1080×1920, in both languages and both themes,
// and checks that nothing is cut: the content's minimum size fits the
// window, every visible text gets the room it needs (labels wrap instead
// of running off), nothing reaches past the window's right edge, and
// every button is at least MinTouchTarget (12 mm) on each side.
func TestScreensFitAndTargetsAreLarge(t *testing.T) {
	// Chinese in the normal theme and English (the longer texts) in high
	// contrast cover both languages and themes at each size.
	for _, size := range kioskSizes {
		for _, v := range []struct {
			lang     Lang
			contrast bool
		}{{Chinese, false}, {English, true}} {
			{
				lang, contrast := v.lang, v.contrast
				name := fmt.Sprintf("%vx%v/%s/contrast=%v", size.Width, size.Height, lang, contrast)
				t.Run(name, func(t *testing.T) {
					k := newPrintKiosk(t, true, false)
					if lang == English {
						test.Tap(k.ui.langBtn)
					}
					if contrast {
						test.Tap(k.ui.contrastBtn)
					}
					k.w.Resize(size)
					mainScreens(t, k, func(screen string) { checkFits(t, k.w, screen) })
				})
			}
		}
	}
}

// checkFits reports what is cut or too small on w's current screen.
func checkFits(t *testing.T, w fyne.Window, screen string) {
	t.Helper()
	c := w.Canvas()
	win := c.Size()
	content := c.Content()
	if m := content.MinSize(); m.Width > win.Width+0.5 || m.Height > win.Height+0.5 {
		t.Errorf("%s: needs %v, window %v", screen, m, win)
	}
	d := fyne.CurrentApp().Driver()
	for _, o := range shownObjects(content) {
		pos := d.AbsolutePositionForObject(o)
		if pos.X+o.Size().Width > win.Width+0.5 {
			t.Errorf("%s: %T %q reaches x=%v past the window's %v", screen, o, textOf(o), pos.X+o.Size().Width, win.Width)
		}
		switch x := o.(type) {
		case *kioskwidget.Button:
			if s := x.Size(); s.Width < MinTouchTarget || s.Height < MinTouchTarget {
				t.Errorf("%s: button %q is %v, under %d units", screen, x.Text, s, MinTouchTarget)
			}
		case *widget.Label:
			if x.Text == "" {
				continue
			}
			if m, s := x.MinSize(), x.Size(); s.Width+0.5 < m.Width || s.Height+0.5 < m.Height {
				t.Errorf("%s: label %q cut: %v of %v", screen, x.Text, s, m)
			}
		}
	}
}

func textOf(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Label:
		return x.Text
	case *kioskwidget.Button:
		return x.Text
	}
	return ""
}

// shownObjects lists o and what it contains, leaving out hidden objects
// and everything inside them.
func shownObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		children = x.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(x).Objects()
	}
	for _, c := range children {
		out = append(out, shownObjects(c)...)
	}
	return out
}

// TestGoldensSizes records the home and records screens in portrait with
// high contrast, and the home screen at 1024×768 in English: the layouts
// the other goldens (1024×1400) do not show.
func TestGoldensSizes(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	k.w.Resize(fyne.NewSize(1080, 1920))
	test.Tap(k.ui.contrastBtn)
	test.AssertRendersToMarkup(t, "portrait_contrast_home.xml", k.w.Canvas())
	k.readCard(t)
	test.AssertRendersToMarkup(t, "portrait_contrast_records.xml", k.w.Canvas())
	test.Tap(k.ui.records.finishBtn)
	test.Tap(k.ui.contrastBtn)
	test.Tap(k.ui.langBtn)
	k.w.Resize(fyne.NewSize(1024, 768))
	test.AssertRendersToMarkup(t, "small_home_en.xml", k.w.Canvas())
}

package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui/uitest"
)

// screenshotDir, when set, makes TestScreenshots write PNGs of the main
// screens there (scripts/screenshots.sh, `make screenshots`).
var screenshotDir = flag.String("screenshots", "", "write PNG captures of the main kiosk screens into this directory")

// screenshotSizes are the window sizes captured.
var screenshotSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}}

// TestScreenshots renders the kiosk's main screens with Fyne's software
// driver at 1024×768 and 1920×1080, in Chinese and English: home, search
// results, records after a (simulated) card read, one record opened, the
// objection form, the restoration wizard's commitment letter, a filed
// receipt, and the same home screen in high contrast. It runs only with -screenshots DIR.
func TestScreenshots(t *testing.T) {
	if *screenshotDir == "" {
		t.Skip("no -screenshots directory")
	}
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range screenshotSizes {
		for _, lang := range []Lang{Chinese, English} {
			k := newPrintKiosk(t, true, false)
			u := k.ui
			if lang == English {
				test.Tap(u.langBtn)
			}
			k.w.Resize(size)
			shot := func(screen string) {
				name := fmt.Sprintf("kiosk-%s-%s-%vx%v.png", screen, lang, size.Width, size.Height)
				if err := uitest.SavePNG(k.w, filepath.Join(*screenshotDir, name)); err != nil {
					t.Fatal(err)
				}
			}
			shot("home")
			test.Tap(u.home.searchBtn)
			test.Type(u.search.entry, "兰州")
			test.Tap(u.search.searchBtn)
			shot("search")
			test.Tap(u.homeBtn)
			k.readCard(t)
			shot("records")
			openRecord(t, u, apptest.RecUntr)
			shot("record")
			test.Tap(u.page.view.objectBtn)
			u.form.typ.SetSelectedIndex(0)
			test.Type(u.form.statement, "公示期已满，仍在公示。")
			shot("objection")
			test.Tap(u.form.submitBtn)
			shot("receipt")
			test.Tap(u.receiptView.backBtn)
			test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
			test.Type(u.wizard.performance, "已全额缴纳罚款并完成整改。")
			test.Tap(u.wizard.nextBtn)
			shot("restoration")
			test.Tap(u.wizard.cancelBtn)
			test.Tap(u.records.finishBtn)
			test.Tap(u.contrastBtn)
			shot("home-contrast")
		}
	}
}

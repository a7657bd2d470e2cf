package office

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// screenshotDir, when set, makes TestScreenshots write PNGs of the main
// screens there (scripts/screenshots.sh, `make screenshots`).
var screenshotDir = flag.String("screenshots", "", "write PNG captures of the main office screens into this directory")

// TestScreenshots renders the office's main screens with Fyne's software
// driver at 1024×768 and 1920×1080, in Chinese and English: login, an
// authorised inquiry, the queue with overdue applications, and the sync
// panel with its history. It runs only with -screenshots DIR.
func TestScreenshots(t *testing.T) {
	if *screenshotDir == "" {
		t.Skip("no -screenshots directory")
	}
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}} {
		for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
			d := newDesk(t, lang, newPrintKit(t).with) // an office that prints
			d.w.Resize(size)
			d.queue.Objections = []credit.Objection{objection("b", 18, credit.StatusQueued), objection("a", 16, credit.StatusReceived), objection("c", 10, credit.StatusUnderReview)}
			shot := func(screen string) {
				d.savePNG(t, *screenshotDir, fmt.Sprintf("office-%s-%s-%vx%v.png", screen, lang, size.Width, size.Height))
			}
			shot("login")
			d.logIn(t, "C001", clerkPassword)
			d.inquire(apptest.OrgID, 0, "GP-2026-118")
			shot("inquiry")
			d.ui.tabs.SelectIndex(tabQueue)
			shot("queue")
			d.ui.tabs.SelectIndex(tabSync)
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncRunning})
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncOffline, Pending: 2, Err: credit.Errorf(credit.EUNAVAILABLE, "无法连接平台。", "The platform cannot be reached.")})
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncRunning})
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 214, LastSuccess: d.now})
			d.waitFor(t, func() bool { return d.ui.syncInfo != nil && d.ui.syncInfo.Phase == app.SyncIdle })
			test.Tap(d.ui.syncTab.nowBtn)
			shot("sync")
			d.ui.Close()
		}
	}
}

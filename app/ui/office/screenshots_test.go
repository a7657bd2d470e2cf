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
// authorised inquiry, the queue with overdue applications, the sync
// panel with its history, and the supervisor's inquiry log (a full page
// with the clerk's inquiries on top, beside the chain check). It runs
// only with -screenshots DIR.
func TestScreenshots(t *testing.T) {
	if *screenshotDir == "" {
		t.Skip("no -screenshots directory")
	}
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}} {
		for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
			d := newDesk(t, lang, withResultCounts, newPrintKit(t).with) // an office that prints and counts results
			d.w.Resize(size)
			d.logInquiries(t, 60) // earlier inquiries: the log has a second page
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
			d.ui.tabs.SelectIndex(tabInquiry)
			d.inquire(apptest.PersonID, 2, "SQ-2026-131")
			test.Tap(d.ui.logoutBtn)
			d.logIn(t, "S001", clerkPassword)
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: len(d.mem.LoggedInquiries())}
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			if len(d.ui.auTab.rows) != app.AuditPageSize {
				t.Fatalf("inquiry log: %d rows, want a full page (message %q)", len(d.ui.auTab.rows), d.ui.message.Text)
			}
			shot("audit")
			d.ui.Close()
		}
	}
}

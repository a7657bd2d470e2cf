package office

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// TestClerkWalk goes through the office app as a clerk and a supervisor
// do at 1024×768, in Chinese and English — login with a typo, an
// authorised inquiry, intake with the commitment letter and evidence, a
// receipt whose printer fails, the queue full, empty and filtered empty,
// the sync panel never synced and off, the settings with the audit check,
// a report check, the supervisor's inquiry log (the walk's inquiries
// with their counts, the second page, filtered, filtered to nothing) —
// and on every screen asserts nothing is cut, drawn over
// something else or too faint, and that the empty states say what to do.
func TestClerkWalk(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			k := newPrintKit(t)
			d := newDesk(t, lang, withResultCounts, k.with)
			d.logInquiries(t, 55) // earlier history: the inquiry log has a second page
			n := 0
			screen := func(name string, want ...string) {
				t.Helper()
				n++
				d.pump()
				if *screenshotDir != "" { // -screenshots DIR: a PNG of every screen passed, to look at
					d.savePNG(t, *screenshotDir, fmt.Sprintf("office-walk-%s-%02d-%s.png", lang, n, name))
				}
				assertLaidOut(t, d.w, name)
				drawn := texts(d.w) // once: each look lays the whole window out again
				for _, s := range want {
					if !slices.ContainsFunc(drawn, func(x string) bool { return strings.Contains(x, s) }) {
						t.Errorf("%s: %q not shown", name, s)
					}
				}
			}
			tt := func(m msg) string { return t0(m, map[ui.Lang]int{ui.Chinese: 0, ui.English: 1}[lang]) }

			screen("login")
			d.logIn(t, "C001", "wrong-pass")
			screen("login-error", pick(lang, "工号或密码错误", "Wrong staff number or password"))
			d.logIn(t, "C001", clerkPassword)
			d.inquire(apptest.PersonID, 2, "SQ-2026-001")
			test.Tap(d.ui.prTab.reportBtn)
			screen("inquiry-printed", apptest.PersonName, tp(lang, printMsgKindReport))
			d.mem.SetDataAsOf(time.Time{}) // this computer never synced
			d.inquire(apptest.OrgID, 0, "")
			screen("inquiry-never-synced", apptest.OrgName, tt(msgNeverSynced))
			if d.ui.prTab.reportNote.Visible() { // a business's report needs no note: no blank line
				t.Errorf("an empty print note takes a line: %q", d.ui.prTab.reportNote.Text)
			}
			d.ui.tabs.SelectIndex(tabIntake)
			screen("intake", tt(msgIntakeNote))
			d.lookUp(t, apptest.PersonID, credit.ApplicantSelf, "")
			screen("intake-objection", tt(msgStatement))
			d.ui.inTab.kind.SetSelected(d.ui.inTab.kind.Options[1])
			test.Tap(d.ui.inTab.letterBtn)
			screen("intake-letter", tt(msgLetter))
			test.Tap(d.ui.inTab.clearBtn)
			d.fileObjection(t)
			screen("receipt", tt(msgNoEvidence))
			d.ui.attachEvidence("判决书.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
			k.printer.setFail(credit.Errorf(credit.EDEVICE, "打印机无响应。", "The printer does not answer."))
			test.Tap(d.ui.prTab.receiptBtn)
			screen("receipt-print-failed", "判决书.pdf", tpf(lang, printMsgFailed, tp(lang, printMsgKindReceipt)))

			d.queue.Objections = []credit.Objection{objection("b", 18, credit.StatusQueued), objection("a", 16, credit.StatusReceived), objection("c", 10, credit.StatusUnderReview)}
			d.ui.tabs.SelectIndex(tabQueue)
			screen("queue", d.queue.Objections[2].No)
			if col, widest := d.ui.qTab.header[0].Size().Width, widget.NewLabel("YY-20261127-DDDDDDDD").MinSize().Width; col < widest {
				t.Errorf("the application number column is %v wide, the widest number needs %v", col, widest)
			}
			for _, row := range d.ui.qTab.rows { // an application number is read (and typed) in one piece
				if one := widget.NewLabel(row[0].Text).MinSize().Height; row[0].MinSize().Height > one+0.5 {
					t.Errorf("application number %q wraps: %v high, one line is %v", row[0].Text, row[0].MinSize().Height, one)
				}
			}
			d.ui.qTab.kind.SetSelectedIndex(2) // restorations: none
			screen("queue-filtered-empty", tt(msgQueueEmptyFiltered))
			d.ui.qTab.kind.SetSelectedIndex(0)
			d.queue.Objections = nil
			test.Tap(d.ui.qTab.refreshBtn)
			screen("queue-empty", tt(msgQueueEmpty))

			d.ui.tabs.SelectIndex(tabSync)
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncOffline, Pending: 1, Err: credit.Errorf(credit.EUNAVAILABLE, "无法连接平台。", "The platform cannot be reached.")})
			d.waitFor(t, func() bool { return d.ui.syncInfo != nil && d.ui.syncInfo.Phase == app.SyncOffline })
			screen("sync-never", tt(msgSyncNeverHint))
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncOff})
			d.waitFor(t, func() bool { return d.ui.syncInfo.Phase == app.SyncOff })
			screen("sync-off", tt(msgSyncOffHint))
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, LastSuccess: d.now})
			d.waitFor(t, func() bool { return d.ui.syncInfo.Phase == app.SyncIdle })
			if d.ui.syncTab.hint.Visible() {
				t.Errorf("the never-synced hint stays after a success: %q", d.ui.syncTab.hint.Text)
			}
			screen("sync-ok")

			d.ui.tabs.SelectIndex(tabSettings)
			screen("settings", tt(msgNoPrinters))
			d.check("CR1:not-a-code")
			screen("check")
			if len(k.codes) != 1 {
				t.Fatalf("%d reports registered, want the one printed", len(k.codes))
			}
			d.check(k.codes[0])
			screen("check-valid", apptest.PersonName)

			test.Tap(d.ui.logoutBtn)
			d.logIn(t, "S001", clerkPassword)
			d.ui.tabs.SelectIndex(tabSettings)
			screen("settings-supervisor", tt(msgAuditHint))
			test.Tap(d.ui.setTab.auditBtn) // the fake's result: broken, no position
			screen("audit-broken", tf(lang, msgAuditBroken, tt(msgAuditNoDetail)))
			d.walkAuditLog(t, lang, screen) // walk_audit_test.go
		})
	}
}

// TestEmptyStateHintsNameTheControls: every "press X" in an empty state's
// text names a control by the label it has on screen.
func TestEmptyStateHintsNameTheControls(t *testing.T) {
	for i, lang := range []ui.Lang{ui.Chinese, ui.English} {
		for _, c := range []struct {
			hint     string
			controls []string
		}{
			{t0(msgQueueEmpty, i), []string{t0(msgTabIntake, i), t0(msgRefresh, i)}},
			{t0(msgQueueEmptyFiltered, i), []string{t0(msgAllKinds, i), t0(msgAllStatuses, i), t0(msgRefresh, i)}},
			{t0(msgSyncNeverHint, i), []string{ts(lang, syncMsgNow)}},
			{t0(msgNeverSynced, i), []string{t0(msgTabSync, i), ts(lang, syncMsgNow)}},
			{t0(msgNoEvidence, i), []string{t0(msgAttach, i)}},
			{t0(msgAuditHint, i), []string{t0(msgVerifyAudit, i)}},
		} {
			for _, ctl := range c.controls {
				if !strings.Contains(c.hint, "“"+ctl+"”") {
					t.Errorf("%s: %q does not name “%s”", lang, c.hint, ctl)
				}
			}
		}
	}
}

// TestNoPrinterSaysWhatToDo: on an office that cannot print (no printer
// or no signing key) the print buttons of the inquiry, the receipt and
// the queue are disabled, and the note under each says what to do.
func TestNoPrinterSaysWhatToDo(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		d := newDesk(t, lang) // no printing parts
		d.logIn(t, "C001", clerkPassword)
		d.inquire(apptest.OrgID, 0, "")
		if !d.ui.prTab.reportBtn.Disabled() || d.ui.prTab.reportNote.Text != tp(lang, printMsgCannotReport) {
			t.Errorf("%s inquiry: button disabled %v, note %q", lang, d.ui.prTab.reportBtn.Disabled(), d.ui.prTab.reportNote.Text)
		}
		assertLaidOut(t, d.w, string(lang)+" inquiry without printer")
		o := d.fileObjection(t)
		if !d.ui.prTab.receiptBtn.Disabled() || d.ui.prTab.receiptNote.Text != tp(lang, printMsgCannotReceipt) || !shows(d.w, o.No) {
			t.Errorf("%s receipt: button disabled %v, note %q", lang, d.ui.prTab.receiptBtn.Disabled(), d.ui.prTab.receiptNote.Text)
		}
		assertLaidOut(t, d.w, string(lang)+" receipt without printer")
		d.ui.tabs.SelectIndex(tabQueue)
		if !d.ui.prTab.reprintBtn.Disabled() || !d.ui.prTab.reprint.Disabled() || !shows(d.w, tp(lang, printMsgCannotReceipt)) {
			t.Errorf("%s queue: reprint still offered", lang)
		}
		assertLaidOut(t, d.w, string(lang)+" queue without printer")
		d.ui.Close()
	}
}

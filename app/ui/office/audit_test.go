package office

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// logInquiries puts n inquiries in the desk's log, one a minute back
// from now: every other one by C001 into the person with an
// authorisation, the rest by S001 into the business.
func (d *desk) logInquiries(t testing.TB, n int) {
	t.Helper()
	for i := range n {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: apptest.OrgID, InquirerKind: credit.InquirerClerk, InquirerID: "S001",
			Purpose: string(credit.PurposeProcurement), Channel: "office-620102", At: d.now.Add(-time.Duration(n-i) * time.Minute)}
		if i%2 == 0 {
			q.SubjectID, q.InquirerID, q.Purpose, q.AuthRef = apptest.PersonID, "C001", string(credit.PurposeCivilService), fmt.Sprintf("SQ-%03d", i)
		}
		if err := d.mem.LogInquiry(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditTab: a supervisor opens the inquiry log tab and sees the
// newest 50 entries with the chain check beside them, pages to the rest
// and back, filters by clerk and by a day with nothing; a bad date is
// refused in words and the page stays; natural persons' ID numbers are
// never shown in full; nothing is cut or overlapping, in zh and en. A
// clerk has no such tab.
func TestAuditTab(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDesk(t, lang)
			d.logInquiries(t, 60)
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: 60}
			d.logIn(t, "C001", clerkPassword)
			if n := len(d.ui.tabs.Items); n != tabAudit {
				t.Fatalf("a clerk has %d tabs, want %d (no inquiry log)", n, tabAudit)
			}
			test.Tap(d.ui.logoutBtn)
			d.logIn(t, "S001", clerkPassword)
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			a := &d.ui.auTab
			check := func(name string, rows int, page string, want ...string) {
				t.Helper()
				d.pump()
				if *screenshotDir != "" {
					d.savePNG(t, *screenshotDir, fmt.Sprintf("office-audit-%s-%s.png", lang, name))
				}
				if len(a.rows) != rows || a.pageLabel.Text != page {
					t.Errorf("%s: %d rows, page %q; want %d, %q (message %q)", name, len(a.rows), a.pageLabel.Text, rows, page, d.ui.message.Text)
				}
				for _, s := range want {
					if !shows(d.w, s) {
						t.Errorf("%s: %q not shown", name, s)
					}
				}
				if slices.ContainsFunc(texts(d.w), func(s string) bool { return s == apptest.PersonID }) || shows(d.w, apptest.PersonID) {
					t.Errorf("%s: an ID number is shown in full", name)
				}
				assertLaidOut(t, d.w, name)
			}
			masked := credit.IDNumber(apptest.PersonID).Masked()
			check("first", 50, pick(lang, "第 1 / 2 页，共 60 条（最新的在前）", "Page 1 of 2, 60 entries (newest first)"),
				auditIntact(lang, 1, 60), masked, apptest.OrgID, "SQ-058", pick(lang, "工作人员 C001", "Clerk C001"))
			if a.rows[0][0] != "60" || a.rows[0][1] != formatDateTime(d.now.Add(-time.Minute)) || !a.prevBtn.Disabled() || a.nextBtn.Disabled() {
				t.Errorf("newest row %q at %q; previous disabled %v, next %v", a.rows[0][0], a.rows[0][1], a.prevBtn.Disabled(), a.nextBtn.Disabled())
			}
			d.audit = app.AuditResult{FirstBreak: "device office-620102: entry 3 altered"}
			test.Tap(a.nextBtn) // paging does not check the whole chain again
			check("next", 10, pick(lang, "第 2 / 2 页，共 60 条（最新的在前）", "Page 2 of 2, 60 entries (newest first)"), auditIntact(lang, 1, 60))
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: 60}
			if !a.nextBtn.Disabled() || a.prevBtn.Disabled() || a.rows[9][0] != "1" {
				t.Errorf("last page: next disabled %v, previous %v, oldest %q", a.nextBtn.Disabled(), a.prevBtn.Disabled(), a.rows[9][0])
			}
			test.Tap(a.prevBtn)
			check("previous", 50, pick(lang, "第 1 / 2 页，共 60 条（最新的在前）", "Page 1 of 2, 60 entries (newest first)"))
			a.clerk.SetText("C001")
			test.Tap(a.searchBtn)
			check("clerk", 30, pick(lang, "第 1 / 1 页，共 30 条（最新的在前）", "Page 1 of 1, 30 entries (newest first)"))
			for _, r := range a.rows {
				if r[4] != masked {
					t.Fatalf("clerk filter: subject %q", r[4])
				}
			}
			a.from.SetText("2026-13-01")
			test.Tap(a.searchBtn)
			check("bad date", 30, pick(lang, "第 1 / 1 页，共 30 条（最新的在前）", "Page 1 of 1, 30 entries (newest first)"),
				pick(lang, "日期格式应如 2026-11-27。", "Dates are written like 2026-11-27."))
			if r := a.rows[0]; r[7] != "—" {
				t.Errorf("an entry without a count shows %q", r[7])
			}
			a.from.SetText("2026-11-20")
			a.to.SetText("2026-11-20")
			test.Tap(a.searchBtn)
			check("empty", 0, pick(lang, "第 1 / 1 页，共 0 条（最新的在前）", "Page 1 of 1, 0 entries (newest first)"),
				pick(lang, "没有符合条件的查询记录", "No inquiries match"))
			test.Tap(d.ui.langBtn) // the filter survives the language switch
			if a.from.Text != "2026-11-20" || a.clerk.Text != "C001" {
				t.Errorf("after switching language: from %q clerk %q", a.from.Text, a.clerk.Text)
			}
			d.audit = app.AuditResult{Devices: 1, Entries: 60, FirstBreak: "device office-620102: entry 7 altered"}
			a.from.SetText("")
			a.to.SetText("")
			test.Tap(a.searchBtn)
			d.pump()
			if !shows(d.w, "entry 7 altered") {
				t.Errorf("a broken chain is not shown beside the log: %q", a.chain.Text)
			}
			test.Tap(d.ui.logoutBtn) // the state goes with the session
			if d.ui.settings.log.page != nil || d.ui.settings.log.query != (app.AuditQuery{}) {
				t.Errorf("after logout: %+v", d.ui.settings.log)
			}
		})
	}
}

// countingLog is the desk's inquiry log keeping result counts, as the
// store does.
type countingLog struct {
	*apptest.Mem
	n map[string]int
}

func (c countingLog) SetInquiryResult(_ context.Context, id string, n int) error {
	c.n[id] = n
	return nil
}

func (c countingLog) InquiryLog(ctx context.Context, f credit.InquiryFilter) (credit.InquiryPage, error) {
	p, err := c.Mem.InquiryLog(ctx, f)
	for i, e := range p.Entries {
		if n, ok := c.n[e.ID]; ok {
			p.Entries[i].Results = n
		}
	}
	return p, err
}

// TestAuditTabResults: the supervisor's own authorised inquiries show how
// many records they opened, or that nothing was found.
func TestAuditTabResults(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			var log countingLog
			d := newDesk(t, lang, func(o *app.OfficeDeps) {
				log = countingLog{Mem: o.Inquiries.(*apptest.Mem), n: map[string]int{}}
				o.Inquiries = log
			})
			d.logIn(t, "S001", clerkPassword)
			d.inquire(apptest.PersonID, 2, "SQ-2026-001")
			unknown := "62010219900307000" + string(credit.IDCheckChar("62010219900307000"))
			d.inquire(unknown, 2, "SQ-2026-002")
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			if *screenshotDir != "" {
				d.savePNG(t, *screenshotDir, fmt.Sprintf("office-audit-%s-results.png", lang))
			}
			a := &d.ui.auTab
			if len(a.rows) != 2 || len(log.n) != 2 {
				t.Fatalf("%d rows, %d counts", len(a.rows), len(log.n))
			}
			recs, _ := d.mem.RecordsOf(t.Context(), apptest.PersonID)
			want := []string{pick(lang, "未查到", "Not found"), fmt.Sprintf(pick(lang, "%d 条", "%d records"), len(recs))}
			for i, w := range want {
				if got := a.rows[i][7]; got != w {
					t.Errorf("row %d result %q, want %q", i, got, w)
				}
			}
			assertLaidOut(t, d.w, "results")
		})
	}
}

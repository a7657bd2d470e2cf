package office

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// withResultCounts makes the desk's inquiry log keep how many records
// each inquiry showed, as the store does (countingLog, audit_test.go).
// It goes before the print kit's option, which reads OfficeDeps.Inquiries.
func withResultCounts(o *app.OfficeDeps) {
	o.Inquiries = countingLog{Mem: o.Inquiries.(*apptest.Mem), n: map[string]int{}}
}

// walkAuditLog is the supervisor's part of TestClerkWalk: logged in as
// S001, after the clerk's inquiries of the walk and the earlier history
// logInquiries put in, the supervisor opens the inquiry log tab and sees
// the newest page with the walk's inquiries on top (clerk, purpose,
// authorisation and how many records each showed) beside the chain
// check, pages to the second page, filters by purpose, and filters to
// nothing, which says so in words. Every step goes through screen, so
// each is checked for cut, overlapping and faint text.
func (d *desk) walkAuditLog(t *testing.T, lang ui.Lang, screen func(name string, want ...string)) {
	total := len(d.mem.LoggedInquiries())
	if total <= app.AuditPageSize {
		t.Fatalf("%d inquiries logged: too few for a second page", total)
	}
	d.audit = app.AuditResult{OK: true, Devices: 1, Entries: total}
	chainOK := auditIntact(lang, 1, total)
	pageText := func(page, pages, n int) string { return auditPageText(lang, page, pages, n) } // "1 entry": TestAuditCountWords
	a := &d.ui.auTab
	rowsAre := func(name string, n int) {
		t.Helper()
		if len(a.rows) != n {
			t.Errorf("%s: %d rows, want %d (message %q)", name, len(a.rows), n, d.ui.message.Text)
		}
	}
	purposeOf := func(p credit.InquiryPurpose) string { return wrapCJK(d.ui.purposeText(string(p))) } // as the cell shows it

	d.ui.tabs.SelectIndex(tabAudit)
	recs, err := d.mem.RecordsOf(t.Context(), apptest.PersonID)
	if err != nil || len(recs) == 0 {
		t.Fatalf("the person's records: %d, %v", len(recs), err)
	}
	opened := fmt.Sprintf(pick(lang, "%d 条", "%d records"), len(recs)) // the fixture's person has several
	screen("audit-log", chainOK, pageText(1, 2, total), pick(lang, "工作人员 C001", "Clerk C001"),
		purposeOf(credit.PurposeCivilService), purposeOf(credit.PurposeAdministrative), "SQ-2026-001", opened,
		credit.IDNumber(apptest.PersonID).Masked(), apptest.OrgID)
	rowsAre("audit-log", app.AuditPageSize)
	for _, r := range a.rows {
		if r[4] == apptest.PersonID {
			t.Errorf("audit-log: the person's ID number is shown in full")
		}
	}
	// The walk's own inquiries are the newest: the person's, under an
	// authorisation, shows how many records it opened.
	if a.rows[0][1] != formatDateTime(d.now) {
		t.Errorf("audit-log: the newest row is from %q, not the walk's %q", a.rows[0][1], formatDateTime(d.now))
	}
	if !slices.ContainsFunc(a.rows, func(r [auditCols]string) bool {
		return r[6] == "SQ-2026-001" && r[7] == opened && r[2] == pick(lang, "工作人员 C001", "Clerk C001")
	}) {
		t.Errorf("audit-log: the walk's authorised inquiry is not shown with its count %q", opened)
	}
	if !a.prevBtn.Disabled() || a.nextBtn.Disabled() {
		t.Errorf("audit-log: previous disabled %v, next disabled %v", a.prevBtn.Disabled(), a.nextBtn.Disabled())
	}
	// The walk's intake look, the subject in person: the authorisation
	// in words, never the code it is logged with.
	inPerson := pick(lang, "本人到场", "In person")
	if !slices.ContainsFunc(a.rows, func(r [auditCols]string) bool { return r[6] == inPerson }) ||
		slices.ContainsFunc(a.rows, func(r [auditCols]string) bool { return r[6] == app.IntakeInPerson }) {
		t.Errorf("audit-log: the in-person intake look is not shown as %q", inPerson)
	}
	d.assertAuditRowsDrawn(t, "audit-log") // every row of the page, scrolled to

	test.Tap(a.nextBtn)
	screen("audit-page-2", chainOK, pageText(2, 2, total))
	rowsAre("audit-page-2", total-app.AuditPageSize)
	d.assertAuditRowsDrawn(t, "audit-page-2")
	if a.prevBtn.Disabled() || !a.nextBtn.Disabled() || a.rows[len(a.rows)-1][0] != "1" {
		t.Errorf("audit-page-2: previous disabled %v, next disabled %v, oldest at %q", a.prevBtn.Disabled(), a.nextBtn.Disabled(), a.rows[len(a.rows)-1][0])
	}

	a.purpose.SetSelectedIndex(indexOf(auditPurposes, string(credit.PurposeAdministrative)) + 1)
	test.Tap(a.searchBtn)
	admin := 0
	for _, q := range d.mem.LoggedInquiries() {
		if q.Purpose == string(credit.PurposeAdministrative) {
			admin++
		}
	}
	screen("audit-filtered", chainOK, pageText(1, 1, admin), apptest.OrgID)
	rowsAre("audit-filtered", admin)
	for _, r := range a.rows {
		if r[5] != purposeOf(credit.PurposeAdministrative) {
			t.Errorf("audit-filtered: a row of purpose %q", r[5])
		}
	}
	if admin == 0 || admin >= total {
		t.Errorf("the purpose filter keeps %d of %d entries: it does not narrow", admin, total)
	}

	a.clerk.SetText("C999") // no such staff number
	test.Tap(a.searchBtn)
	screen("audit-empty", chainOK, pageText(1, 1, 0), pick(lang, "没有符合条件的查询记录", "No inquiries match"))
	rowsAre("audit-empty", 0)
	if a.empty == nil || !a.empty.Visible() {
		t.Errorf("audit-empty: no empty-state wording")
	}
}

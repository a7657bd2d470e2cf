package office

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// recordIndex is the position of a record in the intake record list.
func (d *desk) recordIndex(t *testing.T, id string) int {
	t.Helper()
	for i, r := range d.ui.intake.view.Records {
		if r.ID == id {
			return i
		}
	}
	t.Fatalf("record %s not offered", id)
	return -1
}

// lookUp types the identifier, picks the role and opens the records.
func (d *desk) lookUp(t *testing.T, id string, role credit.ApplicantRole, authRef string) {
	t.Helper()
	d.ui.tabs.SelectIndex(tabIntake)
	v := &d.ui.inTab
	v.subject.SetText("")
	test.Type(v.subject, id)
	v.role.SetSelectedIndex(indexOf(credit.ApplicantRoles, role))
	v.authRef.SetText(authRef)
	test.Tap(v.lookupBtn)
}

func TestIntakeObjection(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabIntake)
	// The checksum is checked as typed.
	test.Type(d.ui.inTab.subject, badCheckID())
	if !d.ui.inTab.checkMsg.Visible() || d.ui.inTab.checkMsg.Text == "" {
		t.Fatal("a wrong check character is not flagged as typed")
	}
	// An agent without the letter number is refused, and nothing is logged.
	d.lookUp(t, apptest.PersonID, credit.ApplicantAgent, "")
	if d.ui.intake.view != nil || !strings.Contains(d.ui.message.Text, "授权委托书") || len(d.mem.LoggedInquiries()) != 0 {
		t.Fatalf("agent without letter: %q", d.ui.message.Text)
	}
	d.lookUp(t, apptest.PersonID, credit.ApplicantAgent, "WT-2026-3")
	if d.ui.intake.view == nil || !shows(d.w, apptest.PersonName) {
		t.Fatalf("lookup failed: %q", d.ui.message.Text)
	}
	q := d.mem.LoggedInquiries()
	if len(q) != 1 || q[0].Purpose != credit.PurposeIntake || q[0].InquirerID != "C001" || q[0].AuthRef != "WT-2026-3" {
		t.Fatalf("logged %+v", q)
	}
	v := &d.ui.inTab
	v.record.SetSelectedIndex(d.recordIndex(t, apptest.RecUntr))
	v.objType.SetSelectedIndex(0)
	test.Type(v.statement, "处罚决定已被撤销。")
	test.Tap(v.submitBtn)
	if !strings.Contains(d.ui.message.Text, "联系") || len(d.store.Objections()) != 0 {
		t.Fatalf("missing contact: %q", d.ui.message.Text)
	}
	test.Type(d.ui.inTab.contact, "13800000000")
	test.Tap(d.ui.inTab.submitBtn)
	saved := d.store.Objections()
	if len(saved) != 1 || d.ui.intake.receipt == nil {
		t.Fatalf("not saved: %q", d.ui.message.Text)
	}
	o := saved[0]
	if o.Channel != "office-620102" || o.RecordID != apptest.RecUntr || o.Statement != "处罚决定已被撤销。" || o.Contact != "13800000000" {
		t.Errorf("saved %+v", o)
	}
	if in, ok := d.store.Intake(o.ID); !ok || in.ClerkID != "C001" || in.Role != credit.ApplicantAgent || in.AuthRef != "WT-2026-3" {
		t.Errorf("intake note %+v", in)
	}
	// Received Friday 10:00: labelled by the end of Monday, decided by the
	// end of the 7th working day (Tuesday 12-08).
	for _, want := range []string{"申请编号：" + o.No, "异议标注期限：2026-11-30", "核查处理期限：2026-12-08"} {
		if !shows(d.w, want) {
			t.Errorf("receipt lacks %q: %q", want, texts(d.w))
		}
	}

	// Evidence: a Word file is refused by content; a PDF is listed.
	d.ui.attachEvidence("申请书.docx", []byte("PK\x03\x04 word"))
	if !strings.Contains(d.ui.message.Text, "PDF、JPEG 或 PNG") {
		t.Fatalf("refused type message %q", d.ui.message.Text)
	}
	d.ui.attachEvidence("撤销决定书.pdf", []byte("%PDF-1.7 revocation"))
	if d.ui.message.Visible() || !shows(d.w, "撤销决定书.pdf（application/pdf，1 KB）") || !shows(d.w, "尚未开通") {
		t.Fatalf("evidence not listed: %q / %q", d.ui.message.Text, texts(d.w))
	}
	test.Tap(d.ui.inTab.nextBtn)
	if d.ui.intake.receipt != nil || d.ui.inTab.subject.Text != "" || shows(d.w, o.No) {
		t.Error("next application does not start clean")
	}
}

func TestIntakeRestorationNeedsTheLetterShown(t *testing.T) {
	d := newDesk(t, ui.English)
	d.logIn(t, "C001", clerkPassword)
	d.lookUp(t, apptest.PersonID, credit.ApplicantSelf, "")
	if q := d.mem.LoggedInquiries(); len(q) != 1 || q[0].AuthRef != "in_person" {
		t.Fatalf("logged %+v", q)
	}
	d.ui.inTab.kind.SetSelected(d.ui.inTab.kind.Options[1])
	v := &d.ui.inTab
	if v.perf == nil || v.committed == nil || !v.committed.Disabled() || v.letter.Visible() {
		t.Fatal("the commitment can be ticked before the letter is shown")
	}
	if !shows(d.w, "free of charge") {
		t.Error("the form does not say restoration is free")
	}
	v.record.SetSelectedIndex(d.recordIndex(t, apptest.RecUntr2))
	test.Type(v.perf, "Paid in full on 2026-10-01.")
	test.Type(v.contact, "13800000000")
	test.Tap(v.letterBtn)
	v = &d.ui.inTab
	if !v.letter.Visible() || v.committed.Disabled() || !strings.HasPrefix(v.letter.Text, "Credit commitment letter") {
		t.Fatal("the letter is not shown in full")
	}
	if v.perf.Text != "Paid in full on 2026-10-01." || v.record.SelectedIndex() != d.recordIndex(t, apptest.RecUntr2) {
		t.Fatal("showing the letter lost the inputs")
	}
	test.Tap(v.committed)
	test.Tap(v.submitBtn)
	rs := d.store.Restorations()
	if len(rs) != 1 || !rs[0].Committed || rs[0].RecordID != apptest.RecUntr2 {
		t.Fatalf("saved %+v (%q)", rs, d.ui.message.Text)
	}
	for _, want := range []string{"Application no.: " + rs[0].No, "Accepted or refused by: 2026-12-02", "Outcome by: 2026-12-11", "free of charge"} {
		if !shows(d.w, want) {
			t.Errorf("receipt lacks %q: %q", want, texts(d.w))
		}
	}
}

func TestIntakeReadCard(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabIntake)
	test.Tap(d.ui.inTab.readCardBtn)
	if d.ui.inTab.subject.Text != apptest.PersonID || d.ui.inTab.role.SelectedIndex() != 0 {
		t.Fatalf("card read: %q (%q)", d.ui.inTab.subject.Text, d.ui.message.Text)
	}
	test.Tap(d.ui.inTab.lookupBtn)
	if d.ui.intake.view == nil {
		t.Fatalf("lookup after card read: %q", d.ui.message.Text)
	}
}

func TestIdleLockClearsIntake(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "C001", clerkPassword)
	d.lookUp(t, apptest.PersonID, credit.ApplicantSelf, "")
	applicant, subject := d.ui.inTab.applicant, d.ui.inTab.subject
	if applicant == nil || !strings.Contains(applicant.Text, apptest.PersonName) {
		t.Fatal("setup: applicant not shown")
	}
	d.now = d.now.Add(6 * 60 * 1e9)
	d.timers.fire()
	d.pump()
	if d.ui.cs != nil {
		t.Fatal("not locked")
	}
	if applicant.Text != "" || subject.Text != "" || d.ui.intake.view != nil || shows(d.w, apptest.PersonName) {
		t.Error("the applicant's data survives the idle lock")
	}
}

func TestSettingsTab(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSettings)
	v := &d.ui.setTab
	if !v.county.Disabled() || v.auditBtn != nil {
		t.Fatal("a clerk can edit the county or see the audit view")
	}
	if got := v.port.Options; len(got) != 3 || got[1] != "/dev/ttyUSB0" {
		t.Fatalf("ports %q", got)
	}
	v.port.SetSelectedIndex(2)
	v.printer.SetText("EPSON TM-T82")
	test.Tap(v.saveBtn)
	if d.ui.message.Text != "设置已保存。" {
		t.Fatalf("save: %q", d.ui.message.Text)
	}
	if vals, _ := d.store.Settings(t.Context()); vals["reader_port"] != "/dev/ttyUSB1" || vals["printer"] != "EPSON TM-T82" {
		t.Fatalf("stored %v", vals)
	}
	test.Tap(d.ui.logoutBtn)

	d.logIn(t, "S001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSettings)
	v = &d.ui.setTab
	if v.county.Disabled() || v.auditBtn == nil || v.port.Selected != "/dev/ttyUSB1" || v.printer.Text != "EPSON TM-T82" {
		t.Fatalf("supervisor's settings tab: port %q printer %q", v.port.Selected, v.printer.Text)
	}
	v.county.SetText("110101")
	test.Tap(v.saveBtn)
	if !strings.Contains(d.ui.message.Text, "甘肃") {
		t.Fatalf("non-Gansu county: %q", d.ui.message.Text)
	}
	d.ui.setTab.county.SetText("623001")
	test.Tap(d.ui.setTab.saveBtn)
	if vals, _ := d.store.Settings(t.Context()); vals["county"] != "623001" || d.store.SettingBy("county") != "S001" {
		t.Fatalf("county not stored: %v (%q)", vals, d.ui.message.Text)
	}
	d.audit.FirstBreak = "device office-620102: entry 2 altered"
	test.Tap(d.ui.setTab.auditBtn)
	if l := d.ui.setTab.auditLabel; l.Text != "查询日志被改动：device office-620102: entry 2 altered" || l.Importance != widget.DangerImportance {
		t.Fatalf("audit result %q", l.Text)
	}
	d.audit = auditOK
	test.Tap(d.ui.setTab.auditBtn)
	if l := d.ui.setTab.auditLabel; l.Text != "查询日志完整：1 台设备，12 条记录。" {
		t.Fatalf("audit result %q", l.Text)
	}
}

func TestQueueAreaFilter(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	linxia := objection("lx", 20, credit.StatusQueued)
	linxia.SubjectID = linxiaPerson
	d.queue.Objections = []credit.Objection{objection("a", 16, credit.StatusReceived), linxia}
	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabQueue)
	if len(d.ui.qTab.rows) != 2 {
		t.Fatalf("%d rows", len(d.ui.qTab.rows))
	}
	for _, tt := range []struct {
		area string
		rows int
		no   string
	}{{"6229", 1, linxia.No}, {"620102", 1, ""}, {"63", 0, ""}, {"", 2, ""}} {
		d.ui.qTab.region.SetText(tt.area)
		d.ui.qTab.region.OnSubmitted(tt.area)
		if len(d.ui.qTab.rows) != tt.rows || (tt.no != "" && d.ui.qTab.rows[0][0].Text != tt.no) || d.ui.qTab.region.Text != tt.area {
			t.Errorf("area %q: %d rows", tt.area, len(d.ui.qTab.rows))
		}
	}
	d.ui.qTab.region.SetText("62ab")
	test.Tap(d.ui.qTab.refreshBtn)
	if d.ui.message.Text != "地区代码须为1至6位数字。" {
		t.Errorf("bad area: %q", d.ui.message.Text)
	}
}

// TestFormsArt18 walks the office's form field names and every text the
// office app shows, in both languages, against the Art. 18 deny-list.
func TestFormsArt18(t *testing.T) {
	var fields []string
	for _, f := range intakeFields {
		fields = append(fields, f.name, t0(f.label, 0), t0(f.label, 1))
	}
	for _, f := range settingsFields {
		fields = append(fields, f.name, t0(f.label, 0), t0(f.label, 1))
	}
	for m := msg(0); m < msgCount; m++ {
		fields = append(fields, messages[m][0], messages[m][1])
	}
	if len(fields) < 2*int(msgCount) {
		t.Fatal("nothing walked")
	}
	for _, f := range fields {
		if term, bad := credit.Art18Match(f); bad {
			t.Errorf("%q: Art. 18 term %q", f, term)
		}
	}
	// The check itself catches a forbidden field.
	if _, bad := credit.Art18Match("applicant_blood_type"); !bad {
		t.Fatal("deny-list does not match")
	}
}

func t0(m msg, i int) string { return messages[m][i] }

// linxiaPerson is a valid ID number from Linxia (622901).
var linxiaPerson = "62290119850101123" + string(credit.IDCheckChar("62290119850101123"))

// auditOK is an intact audit result.
var auditOK = app.AuditResult{OK: true, Devices: 1, Entries: 12}

// badCheckID is the fixture person's number with a wrong check character.
func badCheckID() string {
	last := "0"
	if apptest.PersonID[17] == '0' {
		last = "1"
	}
	return apptest.PersonID[:17] + last
}

// TestIntakeGolden: on a mismatch fyne writes the new markup to
// testdata/failed/intake.xml; review it and move it over the master.
func TestIntakeGolden(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "C001", clerkPassword)
	d.lookUp(t, apptest.OrgID, credit.ApplicantLegalRep, "FD-1")
	d.ui.inTab.record.SetSelectedIndex(0)
	d.w.Canvas().Unfocus()
	test.AssertRendersToMarkup(t, "intake.xml", d.w.Canvas())
}

package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// intakeFixture is an office with intake, evidence, settings and a card
// reader, and a clerk C001 and a supervisor S001.
type intakeFixture struct {
	*officeFixture
	desk  *apptest.Desk
	card  *apptest.Card
	audit app.AuditResult
}

func newIntakeOffice(t *testing.T) *intakeFixture {
	t.Helper()
	f := &intakeFixture{officeFixture: newOffice(t), card: apptest.NewCard(apptest.PersonCard(), nil)}
	f.desk = apptest.NewDesk(f.queue)
	f.office = app.NewOffice(app.OfficeDeps{
		Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue,
		Intake: f.desk, Evidence: f.desk, Settings: f.desk, Card: f.card,
		ReaderPorts: func() []string { return []string{"/dev/ttyUSB0", "/dev/ttyUSB1"} },
		VerifyAudit: func(context.Context) (app.AuditResult, error) { return f.audit, nil },
		Now:         f.clock.Now, Argon2: apptest.FastArgon2, DeviceID: "office-620102",
	})
	if err := f.office.AddClerk(t.Context(), credit.Clerk{ID: "S001", Name: "李强", Role: credit.RoleSupervisor}, clerkPassword); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *intakeFixture) loginAs(t *testing.T, id string) *app.ClerkSession {
	t.Helper()
	cs, err := f.office.Login(t.Context(), id, clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestIntakeLookup(t *testing.T) {
	tests := []struct {
		name, id string
		role     credit.ApplicantRole
		authRef  string
		code     string
		wantAuth string // logged authorisation
		records  int
	}{
		{"person in person", apptest.PersonID, credit.ApplicantSelf, "", "", app.IntakeInPerson, 4},
		{"person by an agent", apptest.PersonID, credit.ApplicantAgent, " WT-2026-01 ", "", "WT-2026-01", 4},
		{"agent without letter", apptest.PersonID, credit.ApplicantAgent, "", credit.EINVALID, "", 0},
		{"organisation by its representative", apptest.OrgID, credit.ApplicantLegalRep, "FD-9", "", "FD-9", 1},
		{"organisation in person", apptest.OrgID, credit.ApplicantSelf, "", credit.EINVALID, "", 0},
		{"bad checksum", badCheck, credit.ApplicantSelf, "", credit.EINVALID, "", 0},
		{"no role", apptest.PersonID, "", "", credit.EINVALID, "", 0},
		{"unknown subject", unknownPerson, credit.ApplicantSelf, "", credit.ENOTFOUND, app.IntakeInPerson, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newIntakeOffice(t)
			cs := f.login(t)
			view, err := f.office.IntakeLookup(t.Context(), cs, tt.id, tt.role, tt.authRef)
			if credit.ErrorCode(err) != tt.code {
				t.Fatalf("IntakeLookup: %v, want code %q", err, tt.code)
			}
			logged := f.mem.LoggedInquiries()
			if tt.wantAuth == "" {
				if len(logged) != 0 {
					t.Fatalf("refused lookup logged %+v", logged)
				}
				return
			}
			if len(logged) != 1 {
				t.Fatalf("logged %d inquiries", len(logged))
			}
			q := logged[0]
			if q.InquirerKind != credit.InquirerClerk || q.InquirerID != "C001" || q.Purpose != credit.PurposeIntake || q.AuthRef != tt.wantAuth || q.Channel != "office-620102" {
				t.Errorf("logged %+v", q)
			}
			if tt.code == "" && (len(view.Records) != tt.records || view.Inquiry.ID != q.ID) {
				t.Errorf("view: %d records", len(view.Records))
			}
		})
	}
}

func TestFileIntakeObjection(t *testing.T) {
	f := newIntakeOffice(t)
	ctx := t.Context()
	cs := f.login(t)
	form := app.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjWrongInfo, Statement: "罚款已于2026年3月缴清。", Contact: "13800000000"}
	// Filing before a lookup is refused.
	if _, err := f.office.FileIntakeObjection(ctx, cs, form); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("before lookup: %v", err)
	}
	if _, err := f.office.IntakeLookup(ctx, cs, apptest.PersonID, credit.ApplicantAgent, "WT-1"); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		edit func(*app.IntakeObjectionForm)
		code string
	}{
		{"another subject's record", func(x *app.IntakeObjectionForm) { x.RecordID = apptest.RecOrg }, credit.EINVALID},
		{"no type", func(x *app.IntakeObjectionForm) { x.Type = "" }, credit.EINVALID},
		{"no statement", func(x *app.IntakeObjectionForm) { x.Statement = " " }, credit.EINVALID},
		{"no contact", func(x *app.IntakeObjectionForm) { x.Contact = "" }, credit.EINVALID},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			x := form
			tt.edit(&x)
			if _, err := f.office.FileIntakeObjection(ctx, cs, x); credit.ErrorCode(err) != tt.code {
				t.Fatalf("%v, want %s", err, tt.code)
			}
		})
	}
	if n := len(f.desk.Objections()); n != 0 {
		t.Fatalf("%d objections saved by refused forms", n)
	}
	o, err := f.office.FileIntakeObjection(ctx, cs, form)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(o.No, "YY-20261127-") || o.Channel != "office-620102" || o.SubjectName != apptest.PersonName ||
		o.Status != credit.StatusQueued || o.LabelDue.IsZero() || o.DecisionDue.Before(o.LabelDue) {
		t.Errorf("objection %+v", o)
	}
	saved := f.desk.Objections()
	if len(saved) != 1 || saved[0] != o {
		t.Fatalf("saved %+v", saved)
	}
	in, ok := f.desk.Intake(o.ID)
	if !ok || in.ClerkID != "C001" || in.Role != credit.ApplicantAgent || in.AuthRef != "WT-1" || in.Kind != credit.KindObjection {
		t.Errorf("intake note %+v", in)
	}
	// The second objection to the same record names the first.
	if _, err := f.office.FileIntakeObjection(ctx, cs, form); credit.ErrorCode(err) != credit.ECONFLICT || !strings.Contains(credit.ErrorMessage(err), o.No) {
		t.Fatalf("second objection: %v", err)
	}
	// The queue shows it.
	items, err := f.office.OpenApplications(ctx, cs, app.QueueFilter{})
	if err != nil || len(items) != 1 || items[0].No != o.No {
		t.Fatalf("queue %+v, %v", items, err)
	}
	f.office.EndIntake(cs)
	if _, err := f.office.FileIntakeObjection(ctx, cs, form); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("after EndIntake: %v", err)
	}
}

func TestFileIntakeRestoration(t *testing.T) {
	f := newIntakeOffice(t)
	ctx := t.Context()
	cs := f.login(t)
	if _, err := f.office.IntakeLookup(ctx, cs, apptest.PersonID, credit.ApplicantSelf, ""); err != nil {
		t.Fatal(err)
	}
	form := app.IntakeRestorationForm{RecordID: apptest.RecUntr, Performance: "已缴清罚款并整改。", Committed: true, Contact: "甘肃省兰州市城关区"}
	for name, edit := range map[string]func(*app.IntakeRestorationForm){
		"not committed":   func(x *app.IntakeRestorationForm) { x.Committed = false },
		"basic record":    func(x *app.IntakeRestorationForm) { x.RecordID = apptest.RecBasic },
		"no performance":  func(x *app.IntakeRestorationForm) { x.Performance = "" },
		"too long":        func(x *app.IntakeRestorationForm) { x.Performance = strings.Repeat("缴", credit.MaxStatementRunes+1) },
		"contact missing": func(x *app.IntakeRestorationForm) { x.Contact = " " },
	} {
		t.Run(name, func(t *testing.T) {
			x := form
			edit(&x)
			if _, err := f.office.FileIntakeRestoration(ctx, cs, x); credit.ErrorCode(err) != credit.EINVALID {
				t.Fatalf("%v", err)
			}
		})
	}
	r, err := f.office.FileIntakeRestoration(ctx, cs, form)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.No, "XF-") || !r.Committed || r.AcceptDue.IsZero() || !r.FeedbackDue.After(r.AcceptDue) || r.Channel != "office-620102" {
		t.Errorf("restoration %+v", r)
	}
	if in, ok := f.desk.Intake(r.ID); !ok || in.Role != credit.ApplicantSelf || in.AuthRef != "" || in.ClerkID != "C001" {
		t.Errorf("intake note %+v", in)
	}
	// A store failure is worded plainly; the real error stays in the chain.
	f.desk.Fail["SaveRestoration"] = errors.New("disk I/O error")
	form.RecordID = apptest.RecUntr2
	if _, err := f.office.FileIntakeRestoration(ctx, cs, form); credit.ErrorCode(err) != credit.EUNAVAILABLE || strings.Contains(credit.ErrorMessage(err), "disk") {
		t.Fatalf("store failure: %v", err)
	}
}

func TestReadCardForIntake(t *testing.T) {
	f := newIntakeOffice(t)
	cs := f.login(t)
	id, err := f.office.ReadCardForIntake(t.Context(), cs)
	if err != nil || id != apptest.PersonID {
		t.Fatalf("ReadCardForIntake = %q, %v", id, err)
	}
	f.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "请放置身份证。", "Place the card."))
	if _, err := f.office.ReadCardForIntake(t.Context(), cs); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("no card: %v", err)
	}
	noReader := app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Now: f.clock.Now, Argon2: apptest.FastArgon2})
	cs2, _ := noReader.Login(t.Context(), "C001", clerkPassword)
	if noReader.HasCardReader() {
		t.Fatal("HasCardReader without a reader")
	}
	if _, err := noReader.ReadCardForIntake(t.Context(), cs2); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("no reader: %v", err)
	}
	f.office.Logout(cs)
	if _, err := f.office.ReadCardForIntake(t.Context(), cs); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("logged out: %v", err)
	}
}

func TestAttachEvidence(t *testing.T) {
	f := newIntakeOffice(t)
	ctx := t.Context()
	cs := f.login(t)
	if _, err := f.office.IntakeLookup(ctx, cs, apptest.PersonID, credit.ApplicantSelf, ""); err != nil {
		t.Fatal(err)
	}
	o, err := f.office.FileIntakeObjection(ctx, cs, app.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjWrongInfo, Statement: "x", Contact: "138"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		code string
	}{
		{"决定书.pdf", "%PDF-1.7 ...", ""},
		{"photo.jpg", "\xFF\xD8\xFF\xE0", ""},
		{"letter.docx", "PK\x03\x04", credit.EINVALID},
		{"fake.pdf", "MZ\x90", credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.office.AttachEvidence(ctx, cs, o.ID, tt.name, []byte(tt.data))
			if credit.ErrorCode(err) != tt.code {
				t.Fatalf("%v", err)
			}
			if tt.code != "" && !strings.Contains(credit.ErrorMessage(err), "PDF、JPEG 或 PNG") {
				t.Errorf("message %q does not say what is accepted", credit.ErrorMessage(err))
			}
		})
	}
	list, err := f.office.EvidenceOf(ctx, cs, o.ID)
	if err != nil || len(list) != 2 || list[0].Type != credit.EvidencePDF || list[1].Type != credit.EvidenceJPEG {
		t.Fatalf("EvidenceOf = %+v, %v", list, err)
	}
	if _, err := f.office.AttachEvidence(ctx, cs, credit.NewUUID(), "a.pdf", []byte("%PDF-")); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown application: %v", err)
	}
}

func TestOfficeSettingsRoles(t *testing.T) {
	f := newIntakeOffice(t)
	ctx := t.Context()
	clerk, sup := f.login(t), f.loginAs(t, "S001")
	tests := []struct {
		name string
		cs   *app.ClerkSession
		set  app.OfficeSettings
		code string
	}{
		{"clerk sets the reader and printer", clerk, app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "EPSON TM-T82"}, ""},
		{"clerk may not change the county", clerk, app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "EPSON TM-T82", County: "620102"}, credit.EUNAUTHORIZED},
		{"undetected port", clerk, app.OfficeSettings{ReaderPort: "/dev/ttyS9", Printer: "EPSON TM-T82"}, credit.EINVALID},
		{"supervisor sets a bad county", sup, app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "EPSON TM-T82", County: "110101"}, credit.EINVALID},
		{"supervisor sets the county", sup, app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "EPSON TM-T82", County: "623001"}, ""},
		{"clerk keeps the county while changing the printer", clerk, app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "HP", County: "623001"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.office.SaveSettings(ctx, tt.cs, tt.set); credit.ErrorCode(err) != tt.code {
				t.Fatalf("SaveSettings: %v, want %q", err, tt.code)
			}
		})
	}
	got, err := f.office.Settings(ctx, clerk)
	if want := (app.OfficeSettings{ReaderPort: "/dev/ttyUSB1", Printer: "HP", County: "623001"}); err != nil || got != want {
		t.Fatalf("Settings = %+v, %v", got, err)
	}
	if f.desk.SettingBy(app.SettingCounty) != "S001" || f.desk.SettingBy(app.SettingPrinter) != "C001" {
		t.Error("the changer is not recorded")
	}
}

func TestVerifyAuditSupervisorOnly(t *testing.T) {
	f := newIntakeOffice(t)
	ctx := t.Context()
	f.audit = app.AuditResult{OK: false, Devices: 1, Entries: 3, FirstBreak: "device office-620102: entry 2 altered"}
	if _, err := f.office.VerifyAudit(ctx, f.login(t)); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("clerk: %v", err)
	}
	res, err := f.office.VerifyAudit(ctx, f.loginAs(t, "S001"))
	if err != nil || res != f.audit {
		t.Fatalf("supervisor: %+v, %v", res, err)
	}
}

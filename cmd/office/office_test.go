package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// openOffice opens a Main over db with the fixture data loaded and a
// supervisor S001.
func openOffice(t *testing.T, db string, args ...string) *Main {
	t.Helper()
	m := NewMain()
	m.Logger, m.Stderr = slog.New(slog.DiscardHandler), io.Discard
	m.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China) }
	if err := m.ParseFlags(append([]string{"--db", db, "--device", "office-620102"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// The office's intake, evidence, settings and audit view run over the
// real store: the application lands in the outbox once, the clerk's note
// and the evidence are kept, settings survive a restart.
func TestIntakeOverTheStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	m := openOffice(t, path, "--reader", filepath.Join(t.TempDir(), "no-such-port"))
	ctx := t.Context()
	if m.Office.HasCardReader() {
		t.Fatal("a reader on a missing port")
	}
	subjects, records := apptest.FixtureData()
	if err := m.db.Load(ctx, subjects, records); err != nil {
		t.Fatal(err)
	}
	if err := creditapp.NewOffice(creditapp.OfficeDeps{Clerks: m.db, Argon2: apptest.FastArgon2}).AddClerk(ctx,
		credit.Clerk{ID: "S001", Name: "李强", Role: credit.RoleSupervisor}, "password-1"); err != nil {
		t.Fatal(err)
	}
	cs, err := m.Office.Login(ctx, "S001", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Office.IntakeLookup(ctx, cs, apptest.PersonID, credit.ApplicantLegalRep, "FD-1"); err != nil {
		t.Fatal(err)
	}
	o, err := m.Office.FileIntakeObjection(ctx, cs, creditapp.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjWrongInfo, Statement: "已撤销", Contact: "138"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.db.PendingOutbox(ctx, 0)
	if err != nil || len(out) != 1 || out[0].ID != o.ID {
		t.Fatalf("outbox %+v, %v", out, err)
	}
	if in, err := m.db.Intake(ctx, o.ID); err != nil || in.ClerkID != "S001" || in.AuthRef != "FD-1" {
		t.Fatalf("intake note %+v, %v", in, err)
	}
	if _, err := m.Office.AttachEvidence(ctx, cs, o.ID, "a.png", []byte("\x89PNG\r\n\x1a\nxx")); err != nil {
		t.Fatal(err)
	}
	if ev, err := m.Office.EvidenceOf(ctx, cs, o.ID); err != nil || len(ev) != 1 || ev[0].Type != credit.EvidencePNG {
		t.Fatalf("evidence %+v, %v", ev, err)
	}
	res, err := m.Office.VerifyAudit(ctx, cs)
	if err != nil || !res.OK || res.Entries != 1 {
		t.Fatalf("audit %+v, %v", res, err)
	}
	if err := m.Office.SaveSettings(ctx, cs, creditapp.OfficeSettings{Printer: "EPSON", County: "622901"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m = openOffice(t, path, "--reader", "none")
	cs, err = m.Office.Login(ctx, "S001", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := m.Office.Settings(ctx, cs); err != nil || s.County != "622901" || s.Printer != "EPSON" {
		t.Fatalf("settings after restart %+v, %v", s, err)
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// lpStandIn takes spooled PDFs as the print system would, or refuses
// them while down.
type lpStandIn struct {
	mu       sync.Mutex
	down     bool
	printers []string
	titles   []string
}

func (s *lpStandIn) submit(_ context.Context, printer, title, file string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return "", credit.Errorf(credit.EUNAVAILABLE, "打印机未就绪。", "The printer is not ready.")
	}
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		return "", credit.Errorf(credit.EINVALID, "不是 PDF。", "Not a PDF: %v", err)
	}
	s.printers, s.titles = append(s.printers, printer), append(s.titles, title)
	return printer + "-7", nil
}

func (s *lpStandIn) setDown(down bool) { s.mu.Lock(); s.down = down; s.mu.Unlock() }

// TestOfficePrinting: the office prints a receipt on the printer chosen in
// Settings and a report under the clerk's inquiry, logged and queued for
// registration; a refused report stays in the spool until it prints.
func TestOfficePrinting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "office.db")
	lp := &lpStandIn{}
	m := NewMain()
	m.Logger, m.Stderr, m.submit = slog.New(slog.DiscardHandler), io.Discard, lp.submit
	m.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China) }
	if err := m.ParseFlags([]string{"--db", path, "--device", "office-620102", "--reader", "none", "--server", "http://127.0.0.1:9", "--office", "城关区政务服务中心"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := t.Context()
	subjects, records := apptest.FixtureData()
	if err := m.db.Load(ctx, subjects, records); err != nil {
		t.Fatal(err)
	}
	if err := creditapp.NewOffice(creditapp.OfficeDeps{Clerks: m.db, Argon2: apptest.FastArgon2}).AddClerk(ctx,
		credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, "password-1"); err != nil {
		t.Fatal(err)
	}
	if !m.Office.CanPrintReceipt() || !m.Office.CanPrintReport() || !m.Office.CanVerify() {
		t.Fatal("printing not wired")
	}
	cs, err := m.Office.Login(ctx, "C001", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Office.SaveSettings(ctx, cs, creditapp.OfficeSettings{Printer: "Hall_A4"}); err != nil {
		t.Fatal(err)
	}

	if _, err := m.Office.IntakeLookup(ctx, cs, apptest.PersonID, credit.ApplicantSelf, ""); err != nil {
		t.Fatal(err)
	}
	o, err := m.Office.FileIntakeObjection(ctx, cs, creditapp.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjWrongInfo, Statement: "已撤销", Contact: "138"})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := m.Office.PrintReceipt(ctx, cs, credit.KindObjection, o.ID); err != nil || p.JobID != "Hall_A4-7" {
		t.Fatalf("receipt: %+v %v", p, err)
	}

	if _, err := m.Office.AuthorisedInquiry(ctx, cs, apptest.PersonID, string(credit.PurposeAdministrative), "SQ-1"); err != nil {
		t.Fatal(err)
	}
	lp.setDown(true)
	if _, err := m.Office.PrintInquiryReport(ctx, cs, apptest.PersonID); credit.ErrorCode(err) != credit.EDEVICE {
		t.Fatalf("printer down: %v", err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "print-spool", "*.pdf"))
	if len(kept) != 1 {
		t.Fatalf("%d PDFs kept in the spool", len(kept))
	}
	lp.setDown(false)
	p, err := m.Office.PrintInquiryReport(ctx, cs, apptest.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "print-spool", "*.pdf")); len(kept) != 0 || len(lp.titles) != 2 || !strings.Contains(lp.titles[1], p.No) {
		t.Fatalf("after print again: %d kept, printed %q", len(kept), lp.titles)
	}
	regs, err := m.db.PendingReportRegistrations(ctx, 10)
	if err != nil || len(regs) != 1 || regs[0].No != p.No {
		t.Fatalf("registrations %+v %v", regs, err)
	}
	qs, err := m.db.InquiriesOf(ctx, apptest.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	var printLogs int
	for _, q := range qs {
		if q.Purpose == string(credit.PurposeAdministrative) && q.InquirerID == "C001" && q.Channel == "office-620102" && q.AuthRef == "SQ-1" {
			printLogs++
		}
	}
	if printLogs != 2 { // the inquiry and the print
		t.Fatalf("%d matching inquiries in %+v", printLogs, qs)
	}
}

func TestOfficeNoPrinter(t *testing.T) {
	m := openOffice(t, filepath.Join(t.TempDir(), "office.db"), "--printer", "none", "--reader", "none")
	if m.Office.CanPrintReport() || m.Office.CanPrintReceipt() || !m.Office.CanVerify() {
		t.Errorf("--printer none: report %v receipt %v verify %v", m.Office.CanPrintReport(), m.Office.CanPrintReceipt(), m.Office.CanVerify())
	}
	if err := NewMain().ParseFlags([]string{"--printer-receipt-width", "57"}); err == nil || !strings.Contains(err.Error(), "58 or 80") {
		t.Errorf("bad width: %v", err)
	}
}

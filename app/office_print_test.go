package app_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

// registry records the reports queued for registration.
type registry struct {
	mu    sync.Mutex
	nums  []string
	texts []string
}

func (r *registry) QueueRegistration(_ context.Context, s report.Signed) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nums, r.texts = append(r.nums, s.Claims.ReportID), append(r.texts, s.Text)
	return nil
}

// refusingSigner stands for a key the trust list does not allow.
type refusingSigner struct{ ed25519.PrivateKey }

func (refusingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, credit.Errorf(credit.EUNAUTHORIZED, "本机签名密钥未获授权。", "This device's key is not allowed to sign.")
}

type printDesk struct {
	*officeFixture
	desk *apptest.Desk
	docs *apptest.DocumentPrinter
	reg  *registry
	cs   *app.ClerkSession
}

// newPrintDesk is an office with an A4 printer, a key the office trusts
// and a report registry; signer wraps the key when set.
func newPrintDesk(t testing.TB, signer func(ed25519.PrivateKey) crypto.Signer) *printDesk {
	t.Helper()
	f := &officeFixture{clerks: apptest.NewClerks(), mem: apptest.Fixture(friday.Add(-time.Hour)), queue: &apptest.Queue{}, clock: &clock{t: friday}}
	d := &printDesk{officeFixture: f, desk: apptest.NewDesk(f.queue), docs: &apptest.DocumentPrinter{}, reg: &registry{}}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys report.KeySet
	keys.Add(pub, "城关区政务服务中心")
	var s crypto.Signer = priv
	if signer != nil {
		s = signer(priv)
	}
	svc := app.New(app.Deps{Records: f.mem, Inquiries: f.mem, Applications: f.mem, Reports: f.mem, Documents: d.docs, Signer: s,
		Registry: d.reg, Trusted: keys, Office: "城关区政务服务中心", DevCode: "O1", Now: f.clock.Now, Logger: slog.New(slog.DiscardHandler)})
	f.office = app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue, Intake: d.desk,
		Now: f.clock.Now, Argon2: apptest.FastArgon2, DeviceID: "office-620102", Printing: svc})
	if err := f.office.AddClerk(t.Context(), credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, clerkPassword); err != nil {
		t.Fatal(err)
	}
	cs, err := f.office.Login(t.Context(), "C001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	d.cs = cs
	return d
}

// TestOfficePrintReceipt: the receipt of an application taken at the
// window prints on A4 after a failure and its retry. The office UI test
// reads the printed QR back (slow under -race, so once).
func TestOfficePrintReceipt(t *testing.T) {
	d := newPrintDesk(t, nil)
	ctx := t.Context()
	if _, err := d.office.IntakeLookup(ctx, d.cs, apptest.PersonID, credit.ApplicantSelf, ""); err != nil {
		t.Fatal(err)
	}
	ob, err := d.office.FileIntakeObjection(ctx, d.cs, app.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjBeyondPeriod, Statement: "公示期已满。", Contact: "13900000000"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.office.PrintReceipt(ctx, d.cs, credit.KindObjection, "no-such-id"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("unknown application: %v", err)
	}
	d.docs.SetErr(errors.New("lp: printer on fire"))
	if _, err := d.office.PrintReceipt(ctx, d.cs, credit.KindObjection, ob.ID); credit.ErrorCode(err) != credit.EDEVICE {
		t.Fatalf("failing printer: %v", err)
	}
	d.docs.SetErr(nil)
	p, err := d.office.PrintReceipt(ctx, d.cs, credit.KindObjection, ob.ID)
	if err != nil || p.Via != app.PrintedA4 || p.No != ob.No {
		t.Fatalf("retry: %+v %v", p, err)
	}
	docs := d.docs.Documents()
	if len(docs) != 1 || !strings.HasPrefix(string(docs[0].PDF), "%PDF-") || !strings.Contains(docs[0].Title, ob.No) {
		t.Errorf("printed %d documents", len(docs))
	}
	r, err := d.office.FileIntakeRestoration(ctx, d.cs, app.IntakeRestorationForm{RecordID: apptest.RecUntr2, Performance: "已全部履行。", Committed: true, Contact: "13900000000"})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := d.office.PrintReceipt(ctx, d.cs, credit.KindRestoration, r.ID); err != nil || p.No != r.No {
		t.Fatalf("restoration receipt: %+v %v", p, err)
	}
	if _, err := d.office.PrintReceipt(ctx, d.cs, credit.KindRestoration, ob.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("an objection's id as a restoration: %v", err)
	}
	if _, err := d.office.PrintReceipt(ctx, nil, credit.KindObjection, ob.ID); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("logged out: %v", err)
	}
}

func TestOfficePrintInquiryReport(t *testing.T) {
	tests := []struct {
		name    string
		subject string
		inquire bool // an authorised inquiry into the subject first
		signer  func(ed25519.PrivateKey) crypto.Signer
		code    string
		purpose string
		logged  int // inquiries logged about the subject
		printed int
	}{
		{name: "person without inquiry", subject: apptest.PersonID, code: credit.EUNAUTHORIZED},
		{name: "person after authorised inquiry", subject: apptest.PersonID, inquire: true, purpose: string(credit.PurposeProcurement), logged: 2, printed: 1},
		{name: "organisation freely", subject: apptest.OrgID, purpose: credit.PurposePublic, logged: 1, printed: 1},
		{name: "key refused by trust list", subject: apptest.OrgID, signer: func(k ed25519.PrivateKey) crypto.Signer { return refusingSigner{k} }, code: credit.EUNAUTHORIZED, logged: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newPrintDesk(t, tt.signer)
			if tt.inquire {
				if _, err := d.office.AuthorisedInquiry(t.Context(), d.cs, tt.subject, string(credit.PurposeProcurement), "SQ-2026-001"); err != nil {
					t.Fatal(err)
				}
			}
			p, err := d.office.PrintInquiryReport(t.Context(), d.cs, tt.subject)
			if credit.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("print: %v, want %q", err, tt.code)
			}
			var about []credit.Inquiry
			for _, q := range d.mem.LoggedInquiries() {
				if q.SubjectID == tt.subject {
					about = append(about, q)
				}
			}
			if len(about) != tt.logged {
				t.Fatalf("%d inquiries logged, want %d", len(about), tt.logged)
			}
			if len(d.docs.Documents()) != tt.printed || len(d.reg.nums) != tt.printed {
				t.Fatalf("%d printed, %d registered, want %d", len(d.docs.Documents()), len(d.reg.nums), tt.printed)
			}
			if tt.printed == 0 {
				return
			}
			q := about[len(about)-1]
			if q.InquirerKind != credit.InquirerClerk || q.InquirerID != "C001" || q.Channel != "office-620102" || q.Purpose != tt.purpose {
				t.Errorf("print logged as %+v", q)
			}
			if tt.inquire && q.AuthRef != "SQ-2026-001" {
				t.Errorf("auth ref %q", q.AuthRef)
			}
			// The printed PDF's QR is read back in TestOfficePrintReceipt
			// (slow under -race); here the registered code is checked.
			res, err := d.office.VerifyCode(t.Context(), d.cs, d.reg.texts[0])
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != report.StatusValid || res.Claims.ReportID != p.No || d.reg.nums[0] != p.No {
				t.Errorf("report verdict %s, no %s, registered %v", res.Status, p.No, d.reg.nums)
			}
		})
	}
}

// TestOfficeReportRetry: a report that did not print goes out again as
// the same document: one number, one registration, one log entry.
func TestOfficeReportRetry(t *testing.T) {
	d := newPrintDesk(t, nil)
	d.docs.SetErr(errors.New("lp: no paper"))
	if _, err := d.office.PrintInquiryReport(t.Context(), d.cs, apptest.OrgID); credit.ErrorCode(err) != credit.EDEVICE {
		t.Fatalf("failing printer: %v", err)
	}
	d.docs.SetErr(nil)
	d.clock.Add(time.Minute)
	p, err := d.office.PrintInquiryReport(t.Context(), d.cs, apptest.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.reg.nums) != 1 || d.reg.nums[0] != p.No || len(d.mem.LoggedInquiries()) != 1 {
		t.Errorf("registered %v (printed %s), %d inquiries logged", d.reg.nums, p.No, len(d.mem.LoggedInquiries()))
	}
	if _, err := d.office.PrintInquiryReport(t.Context(), d.cs, apptest.OrgID); err != nil || len(d.reg.nums) != 2 {
		t.Errorf("a new print after success: %v, registered %v", err, d.reg.nums)
	}
}

func TestOfficeVerifyBadInput(t *testing.T) {
	d := newPrintDesk(t, nil)
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("hello"), "broken pdf": []byte("%PDF-1.4 garbage")} {
		if _, err := d.office.VerifyFile(t.Context(), d.cs, data); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if res, err := d.office.VerifyCode(t.Context(), d.cs, "CR1:NOT A CODE"); err != nil || res.Status != report.StatusMalformed {
		t.Errorf("bad code: %s %v", res.Status, err)
	}
}

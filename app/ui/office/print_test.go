package office

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/app/ui"
)

// spoolPrinter is an A4 printer whose jobs land as PDF files in a spool
// directory; while fail is set it refuses them, as lp does when the
// printer is off.
type spoolPrinter struct {
	dir  string
	mu   sync.Mutex
	fail error
	n    int
}

func (p *spoolPrinter) PrintPDF(_ context.Context, _ string, pdf []byte) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return "", p.fail
	}
	p.n++
	if err := os.WriteFile(filepath.Join(p.dir, fmt.Sprintf("job-%d.pdf", p.n)), pdf, 0o600); err != nil {
		return "", err
	}
	return fmt.Sprintf("A4-%d", p.n), nil
}

func (p *spoolPrinter) setFail(err error) { p.mu.Lock(); p.fail = err; p.mu.Unlock() }

// jobs are the PDFs in the spool directory, oldest first.
func (p *spoolPrinter) jobs(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(p.dir, "job-*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// printKit is the office's printer, key, trusted keys and report registry.
type printKit struct {
	printer *spoolPrinter
	priv    ed25519.PrivateKey
	mu      sync.Mutex
	keys    report.KeySet
	codes   []string // registered reports' QR texts
}

func newPrintKit(t *testing.T) *printKit {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	k := &printKit{printer: &spoolPrinter{dir: t.TempDir()}, priv: priv}
	k.keys.Add(pub, "城关区政务服务中心")
	return k
}

func (k *printKit) keySet() report.KeySet { k.mu.Lock(); defer k.mu.Unlock(); return k.keys }

func (k *printKit) QueueRegistration(_ context.Context, s report.Signed) error {
	k.mu.Lock()
	k.codes = append(k.codes, s.Text)
	k.mu.Unlock()
	return nil
}

// revoke makes the trusted keys a synced trust list that revokes no.
func (k *printKit) revoke(t *testing.T, no string) {
	t.Helper()
	rootPub, root, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tl := &report.TrustList{Seq: 1, IssuedAt: friday.Add(-time.Hour), NextUpdate: friday.Add(7 * 24 * time.Hour),
		Keys: []report.ListKey{{Public: k.priv.Public().(ed25519.PublicKey), OfficeCode: "620102", OfficeName: "城关区政务服务中心",
			Status: report.KeyActive, SignFrom: friday.Add(-24 * time.Hour), StatusAt: friday.Add(-24 * time.Hour)}},
		Revoked: [][16]byte{report.RevokedHash(no)}}
	signed, err := report.SignTrustList(tl, root)
	if err != nil {
		t.Fatal(err)
	}
	held, err := report.LoadTrustList(signed, []ed25519.PublicKey{rootPub}, 0)
	if err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	k.keys = held.KeySet()
	k.mu.Unlock()
}

// with gives the office the kit's printing parts.
func (k *printKit) with(d *app.OfficeDeps) {
	d.Printing = app.New(app.Deps{Records: d.Records, Inquiries: d.Inquiries, Documents: k.printer, Signer: k.priv,
		Registry: k, TrustedKeys: k.keySet, Office: "城关区政务服务中心", DevCode: "O1", Now: d.Now})
}

// check types code on the check tab and presses Check.
func (d *desk) check(code string) {
	d.ui.tabs.SelectIndex(tabCheck)
	d.ui.chkTab.code.SetText(code)
	test.Tap(d.ui.chkTab.checkBtn)
}

// fileObjection takes an objection at the window through the intake tab.
func (d *desk) fileObjection(t *testing.T) credit.Objection {
	t.Helper()
	d.lookUp(t, apptest.PersonID, credit.ApplicantSelf, "")
	v := &d.ui.inTab
	v.record.SetSelectedIndex(d.recordIndex(t, apptest.RecUntr))
	v.objType.SetSelectedIndex(0)
	test.Type(v.statement, "处罚决定已被撤销。")
	test.Type(v.contact, "13800000000")
	test.Tap(v.submitBtn)
	saved := d.store.Objections()
	if len(saved) != 1 || d.ui.intake.receipt == nil {
		t.Fatalf("not saved: %q", d.ui.message.Text)
	}
	return saved[0]
}

// TestPrintIntakeReceipt: the receipt screen's print goes to the spool
// after a printer failure and "print again"; its QR, read back from the
// PDF, checks VALID on the check tab; the queue reprints it.
func TestPrintIntakeReceipt(t *testing.T) {
	k := newPrintKit(t)
	d := newDesk(t, ui.English, k.with)
	d.logIn(t, "C001", clerkPassword)
	o := d.fileObjection(t)

	k.printer.setFail(errors.New("lp: the printer is off"))
	test.Tap(d.ui.prTab.receiptBtn)
	if !strings.Contains(d.ui.message.Text, "Printing failed") || d.ui.prTab.receiptBtn.Text != "Print again" || len(k.printer.jobs(t)) != 0 {
		t.Fatalf("failure: message %q, button %q, %d jobs", d.ui.message.Text, d.ui.prTab.receiptBtn.Text, len(k.printer.jobs(t)))
	}
	k.printer.setFail(nil)
	test.Tap(d.ui.prTab.receiptBtn)
	jobs := k.printer.jobs(t)
	if len(jobs) != 1 || d.ui.message.Visible() || !shows(d.w, "sent to the printer (print job A4-1)") {
		t.Fatalf("retry: %d jobs, message %q, %q", len(jobs), d.ui.message.Text, texts(d.w))
	}

	img, err := report.RasterizePDFPage1(t.Context(), jobs[0])
	if err != nil {
		t.Fatal(err)
	}
	code, err := report.DecodeQR(img)
	if err != nil {
		t.Fatal(err)
	}
	d.check(code)
	if r := d.ui.check.result; r == nil || r.Status != report.StatusValid || !shows(d.w, "Genuine and valid") || !shows(d.w, "Number: "+o.No) {
		t.Fatalf("check of the printed receipt: %+v, %q", r, texts(d.w))
	}

	d.ui.tabs.SelectIndex(tabQueue)
	d.ui.prTab.reprint.SetSelectedIndex(0)
	test.Tap(d.ui.prTab.reprintBtn)
	if n := len(k.printer.jobs(t)); n != 2 || !shows(d.w, "The receipt "+o.No+" was sent") {
		t.Fatalf("reprint: %d jobs, %q", n, texts(d.w))
	}
}

// TestPrintInquiryReport: a natural person's report prints only after
// an authorised inquiry, logged as the clerk's inquiry on this device;
// its code checks VALID, ALTERED once changed and REVOKED once the trust
// list revokes it.
func TestPrintInquiryReport(t *testing.T) {
	k := newPrintKit(t)
	d := newDesk(t, ui.Chinese, k.with)
	d.logIn(t, "C001", clerkPassword)

	// A screen left over without the session's inquiry is refused.
	d.ui.inq.view = &app.InquiryView{Subject: credit.Subject{ID: apptest.PersonID, Kind: credit.NaturalPerson}}
	d.ui.render()
	test.Tap(d.ui.prTab.reportBtn)
	if !strings.Contains(d.ui.message.Text, "第二十五条") || len(k.printer.jobs(t)) != 0 || len(d.mem.LoggedInquiries()) != 0 {
		t.Fatalf("without inquiry: %q, %d jobs", d.ui.message.Text, len(k.printer.jobs(t)))
	}

	d.inquire(apptest.PersonID, 1, "SQ-2026-001")
	if d.ui.inq.view == nil {
		t.Fatalf("inquiry: %q", d.ui.message.Text)
	}
	test.Tap(d.ui.prTab.reportBtn)
	if len(k.printer.jobs(t)) != 1 || len(k.codes) != 1 || !shows(d.w, "已送往打印机") {
		t.Fatalf("report: %q, %d jobs", d.ui.message.Text, len(k.printer.jobs(t)))
	}
	logged := d.mem.LoggedInquiries()
	last := logged[len(logged)-1]
	if len(logged) != 2 || last.InquirerID != "C001" || last.Channel != "office-620102" || last.AuthRef != "SQ-2026-001" || last.Purpose != string(credit.Art25Purposes[1]) {
		t.Fatalf("logged %+v", logged)
	}

	code := k.codes[0]
	raw, err := report.Base45Decode(strings.TrimPrefix(code, "CR1:"))
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.Clone(raw)
	raw[len(raw)-1] ^= 1 // the last byte of the signature
	tests := []struct {
		name, code string
		revoke     bool
		want       report.Status
		shown      string
	}{
		{name: "valid", code: code, want: report.StatusValid, shown: "真实有效"},
		{name: "altered", code: "CR1:" + report.Base45Encode(raw), want: report.StatusAltered, shown: "篡改"},
		{name: "revoked", code: code, revoke: true, want: report.StatusReportRevoked, shown: "撤销"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.revoke {
				res, _ := d.office.VerifyCode(t.Context(), d.ui.cs, code)
				k.revoke(t, res.Claims.ReportID)
			}
			d.check(tt.code)
			if r := d.ui.check.result; r == nil || r.Status != tt.want || !shows(d.w, tt.shown) || !shows(d.w, string(tt.want)) {
				t.Fatalf("check: %+v, %q", r, texts(d.w))
			}
		})
	}
	// A scan of the code (PNG) checks the same way; the lock clears it.
	q, err := report.EncodeQR(code)
	if err != nil {
		t.Fatal(err)
	}
	png, err := q.PNG(-8)
	if err != nil {
		t.Fatal(err)
	}
	d.ui.checkFile(png)
	if r := d.ui.check.result; r == nil || r.Status != report.StatusReportRevoked {
		t.Fatalf("scan: %+v %q", r, d.ui.message.Text)
	}
	d.ui.checkFile([]byte("not an image"))
	if d.ui.check.result != nil || !strings.Contains(d.ui.message.Text, "二维码") {
		t.Fatalf("bad file: %q", d.ui.message.Text)
	}
	d.ui.logout()
	if d.ui.check.result != nil || d.ui.prints != (printState{}) {
		t.Error("the check outcome outlives the session")
	}
}

package ui

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

// printKiosk is a kiosk with the given printers, a signing key that the
// verifier trusts, the report count and the application lookup.
type printKiosk struct {
	*kiosk
	slips *apptest.SlipPrinter
	docs  *apptest.DocumentPrinter
	priv  ed25519.PrivateKey
}

func newPrintKiosk(t *testing.T, slip, a4 bool) *printKiosk {
	t.Helper()
	test.NewTempApp(t)
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	k := &kiosk{mem: apptest.Fixture(friday.Add(-time.Hour)), card: apptest.NewCard(apptest.PersonCard(), nil), q: make(chan func(), 4096)}
	p := &printKiosk{kiosk: k, priv: priv}
	deps := app.Deps{Records: k.mem, Inquiries: k.mem, Applications: k.mem, Reports: k.mem, Lookup: k.mem, Card: k.card,
		DeviceID: apptest.DeviceID, Now: func() time.Time { return friday }, Signer: priv,
		Trusted: report.NewKeySet(report.TrustedKey{Public: pub, Office: "城关区政务服务中心"})}
	if slip {
		p.slips = &apptest.SlipPrinter{}
		deps.Slips = p.slips
	}
	if a4 {
		p.docs = &apptest.DocumentPrinter{}
		deps.Documents = p.docs
	}
	k.svc = app.New(deps)
	k.ui = New(k.svc, k.opts())
	k.w = test.NewTempWindow(t, nil)
	k.ui.Show(k.w)
	k.w.Resize(fyne.NewSize(1024, 1400))
	t.Cleanup(func() { k.ui.Close() })
	return p
}

// object files an objection through the form and expects the receipt.
func (k *kiosk) object(t *testing.T) {
	t.Helper()
	u := k.ui
	test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
	u.form.typ.SetSelected("超过公示期限")
	test.Type(u.form.statement, "公示期已满，仍在公示。")
	test.Tap(u.form.submitBtn)
	if u.screen != screenReceipt {
		t.Fatalf("screen %d after submitting (form error %q)", u.screen, u.form.errLabel.Text)
	}
}

func TestPrintReceiptFlow(t *testing.T) {
	tests := []struct {
		name      string
		slip, a4  bool
		wantSlips int
		wantDocs  int
		want      string
	}{
		{"receipt printer", true, true, 1, 0, "回执已打印，请在出纸口取走。"},
		{"A4 only", false, true, 0, 1, "已送至打印机（任务 kiosk-a4-1），请取走。"},
		{"no printer", false, false, 0, 0, "本机未连接打印机。请记下申请编号，或到服务窗口领取纸质文件。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newPrintKiosk(t, tt.slip, tt.a4)
			u := k.ui
			k.readCard(t)
			k.object(t)
			if u.receiptView.printBtn.Text != "打印回执" || u.receiptView.printStatus.Visible() {
				t.Fatalf("print button %q", u.receiptView.printBtn.Text)
			}
			test.Tap(u.receiptView.printBtn)
			if got := u.receiptView.printStatus.Text; got != tt.want {
				t.Errorf("print status %q, want %q", got, tt.want)
			}
			if k.slips != nil && len(k.slips.Slips()) != tt.wantSlips {
				t.Errorf("%d slips", len(k.slips.Slips()))
			}
			if k.docs != nil && len(k.docs.Documents()) != tt.wantDocs {
				t.Errorf("%d A4 jobs", len(k.docs.Documents()))
			}
			if u.screen != screenReceipt || u.session == nil {
				t.Error("printing left the receipt screen")
			}
		})
	}
}

func TestPrintReceiptFailsThenRetry(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.readCard(t)
	k.object(t)
	k.slips.SetErr(errors.New("escpos: paper out"))
	test.Tap(u.receiptView.printBtn)
	if !strings.Contains(u.receiptView.printStatus.Text, "打印失败") || u.receiptView.printBtn.Text != "重新打印" {
		t.Fatalf("after a failure: %q, button %q", u.receiptView.printStatus.Text, u.receiptView.printBtn.Text)
	}
	test.Tap(u.langBtn) // the state survives a language switch
	if !strings.Contains(u.receiptView.printStatus.Text, "Printing failed") || u.receiptView.printBtn.Text != "Print again" {
		t.Fatalf("in English: %q, button %q", u.receiptView.printStatus.Text, u.receiptView.printBtn.Text)
	}
	k.slips.SetErr(nil)
	test.Tap(u.receiptView.printBtn)
	slips := k.slips.Slips()
	if len(slips) != 1 || u.receiptView.printStatus.Text != "Your receipt has been printed. Please take it from the slot." {
		t.Fatalf("after the retry: %d slips, %q", len(slips), u.receiptView.printStatus.Text)
	}
	saved := k.mem.SavedObjections()
	if slips[0].Lines[0].Value != saved[0].No || !strings.HasPrefix(slips[0].QR, "CR1:") {
		t.Errorf("slip %+v", slips[0])
	}
}

func TestPrintReportFlow(t *testing.T) {
	k := newPrintKiosk(t, true, true)
	u := k.ui
	k.readCard(t)
	if got := u.records.allowance.Text; got != "2026年免费信用报告已使用：0 / 2 份（仅作提示，不影响打印）" {
		t.Errorf("allowance %q", got)
	}
	test.Tap(u.records.reportBtn)
	docs := k.docs.Documents()
	if len(docs) != 1 || !strings.HasPrefix(string(docs[0].PDF), "%PDF-") {
		t.Fatalf("%d jobs", len(docs))
	}
	if got := u.records.reportStatus.Text; !strings.HasPrefix(got, "信用报告已送至打印机（报告编号 620000K1-20261127-") {
		t.Errorf("report status %q", got)
	}
	if got := u.records.allowance.Text; !strings.Contains(got, "1 / 2") {
		t.Errorf("allowance after printing %q", got)
	}
	k.docs.SetErr(errors.New("lp: printer offline"))
	test.Tap(u.records.reportBtn)
	if got := u.records.reportStatus.Text; !strings.Contains(got, "打印失败") || !strings.Contains(u.records.allowance.Text, "1 / 2") {
		t.Errorf("after a failure: %q, %q", got, u.records.allowance.Text)
	}
	test.Tap(u.records.finishBtn)
	if u.records.allowance != nil || u.reporting != (printState{}) {
		t.Error("the report state survived the end of the session")
	}
}

func TestRestorationWizard(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.readCard(t)
	if openRecord(t, u, apptest.RecBasic).restoreBtn != nil || openRecord(t, u, apptest.RecOther).restoreBtn != nil {
		t.Error("restoration offered for a record that is not untrustworthiness information")
	}
	test.Tap(openRecord(t, u, apptest.RecUntr).restoreBtn)
	w := &u.wizard
	if u.screen != screenRestoration || w.stepLabel.Text != "第 1 步，共 5 步" {
		t.Fatalf("screen %d, step %q", u.screen, w.stepLabel.Text)
	}
	test.Tap(w.nextBtn) // nothing written: stays, with the reason in place
	if u.rdraft.step != stepPerformance || !w.errLabel.Visible() {
		t.Fatalf("moved on without a statement (step %d)", u.rdraft.step)
	}
	test.Type(w.performance, "已于2025年4月缴清税款及滞纳金。")
	test.Tap(w.nextBtn)
	if w.stepLabel.Text != "第 2 步，共 5 步" || !strings.Contains(w.letter.Text, "信用承诺书") ||
		!strings.Contains(w.letter.Text, apptest.PersonName) || !strings.Contains(w.letter.Text, "兰税罚〔2025〕88号") ||
		!strings.Contains(w.letter.Text, "依法承担相应法律责任") {
		t.Fatalf("letter step %q:\n%s", w.stepLabel.Text, w.letter.Text)
	}
	test.Tap(w.nextBtn)
	if w.sign == nil || !w.nextBtn.Disabled() {
		t.Fatal("the sign step lets the holder on without ticking")
	}
	test.Tap(w.nextBtn)
	if u.rdraft.step != stepSign {
		t.Fatal("moved past the signature unsigned")
	}
	test.Tap(u.langBtn) // the draft survives a language switch
	if w.sign.Text != "I have read the letter and sign it by ticking this box" {
		t.Errorf("sign text %q", w.sign.Text)
	}
	test.Tap(u.langBtn)
	test.Tap(w.sign)
	test.Tap(w.nextBtn)
	test.Type(w.contact, "13800000000")
	test.Tap(w.backBtn)
	test.Tap(w.nextBtn)
	if w.contact.Text != "13800000000" {
		t.Errorf("contact lost going back: %q", w.contact.Text)
	}
	test.Tap(w.nextBtn)
	if u.rdraft.step != stepReview || w.submitBtn == nil || !strings.Contains(labelTexts(w.summary), "已于2025年4月缴清税款及滞纳金。") ||
		!strings.Contains(labelTexts(w.summary), "信用承诺书：已签署") {
		t.Fatalf("review step %d:\n%s", u.rdraft.step, labelTexts(w.summary))
	}
	test.Tap(w.submitBtn)
	if u.screen != screenReceipt {
		t.Fatalf("screen %d after submitting (%q)", u.screen, w.errLabel.Text)
	}
	saved := k.mem.SavedRestorations()
	if len(saved) != 1 || !saved[0].Committed || saved[0].Contact != "13800000000" || saved[0].RecordID != apptest.RecUntr {
		t.Fatalf("saved %+v", saved)
	}
	r := u.receiptView
	if r.title.Text != "信用修复申请已受理" || r.number.Text != "申请编号："+saved[0].No ||
		r.labelDue.Text != "受理决定期限：2026-12-02 23:59 前" || r.decisionDue.Text != "办理反馈期限：2026-12-11 23:59 前" {
		t.Errorf("receipt %q %q %q %q", r.title.Text, r.number.Text, r.labelDue.Text, r.decisionDue.Text)
	}
	test.Tap(r.printBtn)
	if s := k.slips.Slips(); len(s) != 1 || s[0].Title != "信用修复申请回执" {
		t.Errorf("slips %+v", s)
	}
	test.Tap(r.backBtn)
	v := openRecord(t, u, apptest.RecUntr)
	if v.restoring == nil || v.restoring.Text != "修复申请中" || v.restoreBtn != nil {
		t.Error("the record does not show the restoration applied")
	}
	test.Tap(u.page.backBtn)
	if got := labelTexts(u.records.objections); !strings.Contains(got, "信用修复申请  申请编号："+saved[0].No+"  已受理，待上传  办理反馈期限：2026-12-11 前") {
		t.Errorf("my applications:\n%s", got)
	}
	if openRecord(t, u, apptest.RecUntr2).restoreBtn == nil {
		t.Error("the other untrustworthy record lost its button")
	}
}

func TestVerifyFromHome(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.readCard(t)
	k.object(t)
	test.Tap(u.receiptView.printBtn)
	code := k.slips.Slips()[0].QR
	test.Tap(u.receiptView.backBtn)
	test.Tap(u.records.finishBtn)

	test.Tap(u.home.verifyBtn)
	if u.screen != screenVerify || !u.homeBtn.Visible() || u.verifyView.noTrust != nil {
		t.Fatalf("screen %d", u.screen)
	}
	test.Type(u.verifyView.entry, strings.ToLower(code))
	test.Tap(u.verifyView.verifyBtn)
	v := u.verifyView
	if v.status.Text != "真实有效" || v.status.Importance != widget.SuccessImportance {
		t.Fatalf("status %q", v.status.Text)
	}
	fields := labelTexts(v.fields)
	saved := k.mem.SavedObjections()
	for _, want := range []string{"编号：" + saved[0].No, "类型：申请受理回执", "出具机构：城关区政务服务中心", "出具时间：2026-11-27 10:00"} {
		if !strings.Contains(fields, want) {
			t.Errorf("fields lack %q:\n%s", want, fields)
		}
	}
	if strings.Contains(fields, apptest.PersonName) || strings.Contains(fields, apptest.PersonID) {
		t.Errorf("unmasked personal data:\n%s", fields)
	}
	test.Tap(u.langBtn)
	if u.verifyView.status.Text != "Genuine and valid" {
		t.Errorf("English status %q", u.verifyView.status.Text)
	}
	test.Tap(u.langBtn)
	u.verifyView.entry.SetText(code[:len(code)-3] + "AAA")
	test.Tap(u.verifyView.verifyBtn)
	if u.verifyView.status.Text == "真实有效" || len(u.verifyView.fields) != 0 {
		t.Errorf("an altered code shows %q with %d fields", u.verifyView.status.Text, len(u.verifyView.fields))
	}
	test.Tap(u.homeBtn)
	if u.screen != screenHome || u.verified != nil {
		t.Error("home kept the result")
	}
}

func TestVerifyWithoutKeys(t *testing.T) {
	k := newKiosk(t, true)
	test.Tap(k.ui.home.verifyBtn)
	if k.ui.verifyView.noTrust == nil || !strings.Contains(k.ui.verifyView.noTrust.Text, "未配置核验密钥") {
		t.Error("no word that the terminal cannot verify")
	}
}

func TestApplicationStatusFromHome(t *testing.T) {
	k := newPrintKiosk(t, false, false)
	u := k.ui
	k.readCard(t)
	k.object(t)
	no := k.mem.SavedObjections()[0].No
	test.Tap(u.receiptView.backBtn)
	test.Tap(u.records.finishBtn)

	test.Tap(u.home.statusBtn)
	test.Type(u.statusView.entry, no)
	test.Tap(u.statusView.lookupBtn)
	got := labelTexts(u.statusView.fields)
	for _, want := range []string{"申请编号：" + no, "办理状态：已受理，待上传", "异议标注期限：2026-11-30 23:59 前", "处理决定期限：2026-12-08 23:59 前"} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if u.statusView.kind.Text != "异议申请" {
		t.Errorf("kind %q", u.statusView.kind.Text)
	}
	for _, secret := range []string{apptest.PersonName, credit.IDNumber(apptest.PersonID).Masked(), "公示期已满"} {
		if shows(k.w, secret) {
			t.Errorf("the status screen shows %q", secret)
		}
	}
	u.statusView.entry.SetText("YY-20261127-00000000")
	test.Tap(u.statusView.lookupBtn)
	if u.statusView.kind != nil || !strings.Contains(u.message.Text, "本机未找到该申请") {
		t.Errorf("unknown number: message %q", u.message.Text)
	}
}

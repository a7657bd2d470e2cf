package app

import (
	"context"
	"crypto"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// Validity of the QR on printed documents.
const (
	ReportValidity  = 90 * 24 * time.Hour
	ReceiptValidity = 365 * 24 * time.Hour
)

// printDeps are the optional printing parts of a Service.
type printDeps struct {
	slips   SlipPrinter
	docs    DocumentPrinter
	signer  crypto.Signer
	reports ReportLog
	reg     ReportRegistry
	office  string
	region  string
	devCode string
}

func newPrintDeps(d Deps) printDeps {
	p := printDeps{slips: d.Slips, docs: d.Documents, signer: d.Signer, reports: d.Reports, reg: d.Registry, office: d.Office, region: d.Region, devCode: d.DevCode}
	if p.region == "" {
		p.region = "620000"
	}
	if p.devCode == "" {
		p.devCode = "K1"
	}
	return p
}

// Printed says how a document went out.
type Printed struct {
	Via   string // PrintedSlip or PrintedA4
	JobID string // the print system's job (A4 only)
	No    string // report or application number
}

// Where a document was printed.
const (
	PrintedSlip = "slip"
	PrintedA4   = "a4"
)

// CanPrintReceipt reports whether a receipt can be printed at all (a
// printer is fitted and a signing key is configured).
func (s *Service) CanPrintReceipt() bool {
	return s.print.signer != nil && (s.print.slips != nil || s.print.docs != nil)
}

// CanPrintReport reports whether a report can be printed here.
func (s *Service) CanPrintReport() bool {
	return s.print.signer != nil && s.print.docs != nil
}

// printWords are one front end's printer errors, each with what to do:
// the kiosk sends the citizen to the service counter, the office tells the
// clerk what to check (the clerk is the service counter).
type printWords struct {
	noPrinter, noSigner, failed [2]string // zh, en
}

// kioskWords are the kiosk's printer errors.
var kioskWords = printWords{
	noPrinter: [2]string{"本机未连接打印机。请记下申请编号，或到服务窗口领取纸质文件。",
		"No printer is fitted to this terminal. Please note the number, or ask at the service counter for a printed copy."},
	noSigner: [2]string{"本机未配置签名密钥，无法打印可核验的文件。请到服务窗口办理。",
		"This terminal has no signing key, so it cannot print verifiable documents. Please ask at the service counter."},
	failed: [2]string{"打印失败。请检查打印机的纸张和电源后点击“重新打印”，或到服务窗口领取。",
		"Printing failed. Check the printer's paper and power, then tap “Print again”, or ask at the service counter."},
}

// officeWords are the office's printer errors.
var officeWords = printWords{
	noPrinter: [2]string{"本机未配置打印机，无法打印。请在“设置”中选择打印机，或请申请人记下申请编号。",
		"No printer is configured, so nothing can be printed. Choose a printer in Settings, or give the applicant the number to note down."},
	noSigner: [2]string{"本机未配置签名密钥，无法打印可核验的文件。请联系技术支持配置本机密钥。",
		"This computer has no signing key, so it cannot print verifiable documents. Ask technical support to set up its key."},
	failed: [2]string{"打印失败。请检查打印机的纸张、电源和连接后点击“重新打印”；如仍失败，请在“设置”中选择其他打印机。",
		"Printing failed. Check the printer's paper, power and cable, then click “Print again”; if it still fails, choose another printer in Settings."},
}

func (w printWords) errNoPrinter() error {
	return &credit.Error{Code: credit.EUNAVAILABLE, Message: w.noPrinter[0], MessageEN: w.noPrinter[1]}
}

func (w printWords) errNoSigner() error {
	return &credit.Error{Code: credit.EUNAVAILABLE, Message: w.noSigner[0], MessageEN: w.noSigner[1]}
}

func (w printWords) errPrintFailed(err error) error {
	return fmt.Errorf("%w: %w", &credit.Error{Code: credit.EDEVICE, Message: w.failed[0], MessageEN: w.failed[1]}, err)
}

// The kiosk's printer errors.
func errNoPrinter() error            { return kioskWords.errNoPrinter() }
func errNoSigner() error             { return kioskWords.errNoSigner() }
func errPrintFailed(err error) error { return kioskWords.errPrintFailed(err) }

// activeSubject returns the session's holder, refusing an ended session.
func activeSubject(sess *Session) (credit.Subject, error) {
	if sess == nil {
		return credit.Subject{}, credit.Errorf(credit.EUNAUTHORIZED, "请先读取身份证。", "Please read your ID card first.")
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.Subject.ID == "" {
		return credit.Subject{}, credit.Errorf(credit.EUNAUTHORIZED, "本次查询已结束，请重新读取身份证。", "This session has ended. Please read your ID card again.")
	}
	return sess.Subject, nil
}

// PrintObjectionReceipt prints the receipt of the holder's objection o:
// a slip on the receipt printer, or the A4 receipt when only the A4
// printer is fitted. A failure leaves everything as it was; call again to
// retry.
func (s *Service) PrintObjectionReceipt(ctx context.Context, sess *Session, o credit.Objection) (Printed, error) {
	subj, err := activeSubject(sess)
	if err != nil {
		return Printed{}, err
	}
	if o.SubjectID != subj.ID {
		return Printed{}, credit.Errorf(credit.EUNAUTHORIZED, "只能打印本人的回执。", "You can print only your own receipts.")
	}
	rec, _ := sess.Record(o.RecordID)
	return s.printReceipt(ctx, report.ObjectionReceipt(o, rec), kioskWords)
}

// PrintRestorationReceipt prints the receipt of the holder's restoration
// application r, as PrintObjectionReceipt does.
func (s *Service) PrintRestorationReceipt(ctx context.Context, sess *Session, r credit.Restoration) (Printed, error) {
	subj, err := activeSubject(sess)
	if err != nil {
		return Printed{}, err
	}
	if r.SubjectID != subj.ID {
		return Printed{}, credit.Errorf(credit.EUNAUTHORIZED, "只能打印本人的回执。", "You can print only your own receipts.")
	}
	rec, _ := sess.Record(r.RecordID)
	return s.printReceipt(ctx, report.RestorationReceipt(r, rec), kioskWords)
}

// printReceipt signs and prints rc; its printer errors are in w's words.
func (s *Service) printReceipt(ctx context.Context, rc report.Receipt, w printWords) (Printed, error) {
	p := s.print
	switch {
	case p.slips == nil && p.docs == nil:
		return Printed{}, w.errNoPrinter()
	case p.signer == nil:
		return Printed{}, w.errNoSigner()
	}
	rc.IssuedAt, rc.Office = s.now(), p.office
	rc.Provisional = s.DuesProvisional(rc.Kind, rc.ReceivedAt) // provisional.go
	if p.slips != nil {
		signed, err := report.Sign(p.signer, rc.Claims(1, ReceiptValidity))
		if err != nil {
			return Printed{}, s.internal(ctx, "sign receipt", err)
		}
		if err := p.slips.PrintSlip(ctx, ReceiptSlip(rc, signed.Text)); err != nil {
			s.log.WarnContext(ctx, "print receipt slip", logKeyErr, err)
			return Printed{}, w.errPrintFailed(err)
		}
		s.log.InfoContext(ctx, "receipt printed", logKeyApplication, rc.No, "via", PrintedSlip)
		return Printed{Via: PrintedSlip, No: rc.No}, nil
	}
	out, err := report.RenderReceipt(rc, p.signer, ReceiptValidity)
	if err != nil {
		return Printed{}, s.internal(ctx, "render receipt", err)
	}
	job, err := p.docs.PrintPDF(ctx, "申请受理回执 "+rc.No, out.PDF)
	if err != nil {
		s.log.WarnContext(ctx, "print receipt", logKeyErr, err)
		return Printed{}, w.errPrintFailed(err)
	}
	s.log.InfoContext(ctx, "receipt printed", logKeyApplication, rc.No, "via", PrintedA4, "job", job)
	return Printed{Via: PrintedA4, JobID: job, No: rc.No}, nil
}

// ReceiptSlip lays a receipt out for the receipt printer: number, record,
// dates, "free of charge" and the signed QR text.
func ReceiptSlip(rc report.Receipt, qr string) credit.Slip {
	day := func(t time.Time) string { return t.In(credit.China).Format("2006-01-02") }
	title := "信用信息异议申请回执"
	if rc.Kind == credit.KindRestoration {
		title = "信用修复申请回执"
	}
	fz, _, sz, _ := report.ReceiptInfo{Kind: rc.Kind}.DueLabels()
	rec := rc.Record.ID
	if rc.Record.Title != "" {
		rec = rc.Record.Title
	}
	lines := []credit.SlipLine{
		{Label: "申请编号", Value: rc.No},
		{Label: "申请人", Value: rc.Subject.MaskedName()},
		{Label: "所涉记录", Value: rec},
	}
	if rc.Record.DocumentNo != "" {
		lines = append(lines, credit.SlipLine{Label: "文书号", Value: rc.Record.DocumentNo})
	}
	mark := ""
	if rc.Provisional {
		mark = "（暂定）"
	}
	lines = append(lines,
		credit.SlipLine{Label: "受理时间", Value: rc.ReceivedAt.In(credit.China).Format("2006-01-02 15:04")},
		credit.SlipLine{Label: fz, Value: day(rc.FirstDue) + " 前" + mark},
		credit.SlipLine{Label: sz, Value: day(rc.SecondDue) + " 前" + mark},
	)
	if rc.Office != "" {
		lines = append(lines, credit.SlipLine{Label: "受理机构", Value: rc.Office})
	}
	return credit.Slip{
		Title:  title,
		Lines:  lines,
		QR:     qr,
		Footer: slipFooter(rc.Provisional),
	}
}

// slipFooter is the receipt slip's footer; with provisional due dates,
// the line saying why they are marked (report.ProvisionalNoteZH).
func slipFooter(provisional bool) []string {
	f := []string{"免费办理 free of charge", "凭申请编号查询办理进度；扫码可核验本回执。"}
	if provisional {
		f = append(f, report.ProvisionalNoteZH)
	}
	return f
}

// ReportAllowance counts the reports about the holder issued this
// calendar year (Art. 45); ok is false when this terminal cannot count.
// It is informational and never blocks a report.
func (s *Service) ReportAllowance(ctx context.Context, sess *Session) (credit.ReportAllowance, bool) {
	subj, err := activeSubject(sess)
	if err != nil {
		return credit.ReportAllowance{}, false
	}
	return s.allowance(ctx, subj.ID)
}

// allowance counts the reports about subjectID issued this year.
func (s *Service) allowance(ctx context.Context, subjectID string) (credit.ReportAllowance, bool) {
	if s.print.reports == nil {
		return credit.ReportAllowance{}, false
	}
	now := s.now()
	jan1 := time.Date(now.In(credit.China).Year(), 1, 1, 0, 0, 0, 0, credit.China)
	issued, err := s.print.reports.ReportsIssued(ctx, subjectID, jan1)
	if err != nil {
		s.log.WarnContext(ctx, "reports issued", logKeyErr, err)
		return credit.ReportAllowance{}, false
	}
	return credit.CountReports(issued, now), true
}

// PrintReport renders the holder's signed credit report from the session
// (whose self-inquiry ReadCard logged) and sends it to the A4 printer.
// The report is counted once printed.
func (s *Service) PrintReport(ctx context.Context, sess *Session) (Printed, error) {
	if _, err := activeSubject(sess); err != nil {
		return Printed{}, err
	}
	p := s.print
	switch {
	case p.docs == nil:
		return Printed{}, credit.Errorf(credit.EUNAVAILABLE, "本机未连接A4打印机，无法打印信用报告。请到服务窗口办理，或登录“信用中国（甘肃）”网站下载。",
			"No A4 printer is fitted to this terminal. Please ask at the service counter, or download the report from the Credit China (Gansu) website.")
	case p.signer == nil:
		return Printed{}, errNoSigner()
	}
	sess.mu.Lock()
	subj := sess.Subject
	if subj.Name == "" {
		subj.Name = sess.Card.Name
	}
	var recs []credit.Record
	for _, g := range sess.Records {
		recs = append(recs, g.Records...)
	}
	// What the holder saw: the session read at the card read (the same
	// reads as ReportData), with the self-inquiry ReadCard logged.
	r := assembleReport(subj, recs, append([]credit.Inquiry(nil), sess.Inquiries...), sess.DataAsOf, sess.Stale, s.now())
	sess.mu.Unlock()
	no, out, err := p.issueReport(ctx, r) // report_data.go
	if err != nil {
		return Printed{}, s.internal(ctx, "issue report", err)
	}
	job, err := p.docs.PrintPDF(ctx, reportTitle(no), out.PDF)
	if err != nil {
		s.log.WarnContext(ctx, "print report", logKeyErr, err)
		return Printed{}, errPrintFailed(err)
	}
	if p.countReport(ctx, s.log, r.Subject.ID, no, r.IssuedAt) {
		a, ok := s.allowance(ctx, r.Subject.ID)
		sess.mu.Lock()
		if sess.Subject.ID == r.Subject.ID {
			sess.Allowance, sess.AllowanceKnown = a, ok
		}
		sess.mu.Unlock()
	}
	s.log.InfoContext(ctx, "report printed", logKeySubject, r.Subject, "job", job)
	return Printed{Via: PrintedA4, JobID: job, No: no}, nil
}

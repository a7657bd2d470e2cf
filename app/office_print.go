package app

import (
	"context"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// Printing at the office window (issues #6, #7): the receipt of an
// application taken at the window or reprinted from the queue, and the
// credit report of an authorised inquiry's subject. Everything goes
// through the printing parts of OfficeDeps.Printing, the kiosk's Service
// (print.go): the same printers, signing key, report registry and report
// count, so a document printed here verifies like one from a kiosk.

// failedReport is a rendered report that did not print: "print again"
// sends the same PDF (same number, already registered), not a new one.
type failedReport struct {
	subjectID string
	title     string
	no        string
	pdf       []byte
	at        time.Time
}

func errNoA4Printer() error {
	return credit.Errorf(credit.EUNAVAILABLE, "本机未配置A4打印机，无法打印信用报告。请在“设置”中选择打印机。",
		"No A4 printer is configured, so no credit report can be printed. Choose a printer in Settings.")
}

// CanPrintReceipt reports whether application receipts can be printed
// here (a printer and a signing key are configured).
func (o *Office) CanPrintReceipt() bool { return o.printing != nil && o.printing.CanPrintReceipt() }

// CanPrintReport reports whether credit reports can be printed here.
func (o *Office) CanPrintReport() bool { return o.printing != nil && o.printing.CanPrintReport() }

// PrintReceipt prints the receipt of the open application id of the given
// kind: number, record, the due dates running on the office's calendar,
// "free of charge" (Art. 46, 47) and the signed QR. It serves the intake
// receipt screen and the queue's reprint; a closed or unknown
// application is ENOTFOUND. A failure changes nothing: call again to
// retry (the A4 printer keeps the refused PDF in its spool until then).
func (o *Office) PrintReceipt(ctx context.Context, cs *ClerkSession, kind credit.ApplicationKind, id string) (Printed, error) {
	if err := o.active(cs); err != nil {
		return Printed{}, err
	}
	if o.printing == nil {
		return Printed{}, officeWords.errNoPrinter()
	}
	if o.queue == nil || o.records == nil {
		return Printed{}, errNotConfigured()
	}
	rc, err := o.openReceipt(ctx, kind, id)
	if err != nil {
		return Printed{}, err
	}
	p, err := o.printing.printReceipt(ctx, rc, officeWords)
	if err != nil {
		return Printed{}, err
	}
	o.log.InfoContext(ctx, "receipt printed at the office", logKeyClerk, cs.Clerk.ID, logKeyApplication, rc.No, "via", p.Via)
	return p, nil
}

// openReceipt builds the receipt of an open application from the queue.
func (o *Office) openReceipt(ctx context.Context, kind credit.ApplicationKind, id string) (report.Receipt, error) {
	switch kind {
	case credit.KindObjection:
		list, err := o.queue.OpenObjections(ctx)
		if err != nil {
			return report.Receipt{}, o.unavailable(ctx, "receipt: objections", err)
		}
		for _, x := range list {
			if x.ID == id {
				return report.ObjectionReceipt(x, o.recordOf(ctx, x.SubjectID, x.RecordID)), nil
			}
		}
	case credit.KindRestoration:
		list, err := o.queue.OpenRestorations(ctx)
		if err != nil {
			return report.Receipt{}, o.unavailable(ctx, "receipt: restorations", err)
		}
		for _, x := range list {
			if x.ID == id {
				return report.RestorationReceipt(x, o.recordOf(ctx, x.SubjectID, x.RecordID)), nil
			}
		}
	}
	return report.Receipt{}, credit.Errorf(credit.ENOTFOUND, "该申请已办结或不存在，不能打印回执。", "This application is closed or unknown, so no receipt can be printed.")
}

// recordOf is the subject's record the application is about; only its id
// when the cache no longer has it (the receipt then names the id).
func (o *Office) recordOf(ctx context.Context, subjectID, recordID string) credit.Record {
	recs, err := o.records.RecordsOf(ctx, subjectID)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		o.log.WarnContext(ctx, "receipt: records", logKeyErr, err)
	}
	for _, r := range recs {
		if r.ID == recordID && r.SubjectID == subjectID {
			return r
		}
	}
	return credit.Record{ID: recordID, SubjectID: subjectID}
}

// reportInquiry is the inquiry a printed report is logged as (Art. 24: a
// report is an inquiry too). A natural person's report is printed only
// under the Art. 25 purpose and the authorisation reference of the
// clerk's current authorised inquiry into the same person (Art. 23, 25);
// an organisation's under that inquiry's purpose when there is one, else
// as a public search.
func (o *Office) reportInquiry(cs *ClerkSession, id string, kind credit.SubjectKind) (credit.Inquiry, error) {
	cs.mu.Lock()
	cur := cs.inquiry
	cs.mu.Unlock()
	same := cur != nil && cur.SubjectID == id
	if kind == credit.NaturalPerson && (!same || cur.AuthRef == "" || !credit.InquiryPurpose(cur.Purpose).Valid()) {
		return credit.Inquiry{}, credit.Errorf(credit.EUNAUTHORIZED, "打印自然人的信用报告，须先以《条例》第二十五条所列用途和书面授权编号查询该自然人。",
			"A natural person's report is printed only after an authorised inquiry into that person, with an Art. 25 purpose and the written authorisation's reference.")
	}
	q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: id, InquirerKind: credit.InquirerClerk, InquirerID: cs.Clerk.ID,
		Purpose: credit.PurposePublic, Channel: o.deviceID, At: o.now()}
	if same {
		q.Purpose, q.AuthRef = cur.Purpose, cur.AuthRef
	}
	return q, q.Validate(kind)
}

// PrintInquiryReport prints the signed credit report of subjectID on the
// A4 printer for the logged-in clerk. The print is logged as an inquiry
// (channel: this office device; inquirer: the clerk) before any record is
// read, under the rules of reportInquiry; the report lists it. The report
// is queued for registration with the platform before it prints, and is
// signed only when the synced trust list lets this office's key sign
// (the Signer refuses otherwise). A report that did not print is kept:
// calling again for the same subject sends the same PDF.
func (o *Office) PrintInquiryReport(ctx context.Context, cs *ClerkSession, subjectID string) (Printed, error) {
	if err := o.active(cs); err != nil {
		return Printed{}, err
	}
	id, kind, err := credit.ParseSubjectID(subjectID)
	if err != nil {
		return Printed{}, err
	}
	switch p := o.printing; {
	case p == nil || p.print.docs == nil:
		return Printed{}, errNoA4Printer()
	case p.print.signer == nil:
		return Printed{}, officeWords.errNoSigner()
	}
	cs.mu.Lock()
	failed := cs.failed
	cs.mu.Unlock()
	if failed != nil && failed.subjectID == id {
		return o.printKept(ctx, cs, failed)
	}

	subj, err := o.records.Subject(ctx, id)
	known := err == nil && subj.ID == id
	switch {
	case err == nil && subj.ID == id && subj.Kind != kind:
		kind = credit.NaturalPerson // the stricter rule when the two disagree
	case err != nil && credit.ErrorCode(err) != credit.ENOTFOUND:
		return Printed{}, o.unavailable(ctx, "report: subject", err)
	}
	q, err := o.reportInquiry(cs, id, kind)
	if err != nil {
		o.log.WarnContext(ctx, "report refused", logKeyClerk, cs.Clerk.ID, logKeyErr, err)
		return Printed{}, err
	}
	if err := o.inquiries.LogInquiry(ctx, q); err != nil {
		o.log.ErrorContext(ctx, "log report inquiry", logKeyErr, err)
		return Printed{}, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "暂时无法登记本次查询，因此不打印报告，请稍后再试。", "This inquiry could not be logged, so no report is printed. Please try again later."), err)
	}
	if !known {
		o.noteResult(ctx, q.ID, 0) // office_audit.go
		return Printed{}, credit.Errorf(credit.ENOTFOUND, "本机未查到该主体的信用信息。", "No credit information about this subject was found on this computer.")
	}
	r, err := ReportData(ctx, o.records, o.inquiries, subj, q.At, o.serverNow(), o.staleAfter) // report_data.go
	if err != nil {
		return Printed{}, o.unavailable(ctx, "report data", err)
	}
	o.noteResult(ctx, q.ID, len(r.Records))
	return o.issueReport(ctx, cs, r)
}

// issueReport numbers, signs, registers and prints r (issueReport of the
// printing parts, report_data.go), keeping it for "print again".
func (o *Office) issueReport(ctx context.Context, cs *ClerkSession, r report.Report) (Printed, error) {
	no, out, err := o.printing.print.issueReport(ctx, r)
	if err != nil {
		if credit.ErrorCode(err) == credit.EUNAUTHORIZED { // the trust list refuses this key
			o.log.WarnContext(ctx, "report not signed", logKeyErr, err)
			return Printed{}, err
		}
		return Printed{}, o.unavailable(ctx, "issue report", err)
	}
	return o.printKept(ctx, cs, &failedReport{subjectID: r.Subject.ID, title: reportTitle(no), no: no, pdf: out.PDF, at: r.IssuedAt})
}

// printKept sends a rendered report to the A4 printer, keeping it in the
// session when that fails and counting it when it prints.
func (o *Office) printKept(ctx context.Context, cs *ClerkSession, f *failedReport) (Printed, error) {
	p := o.printing.print
	job, err := p.docs.PrintPDF(ctx, f.title, f.pdf)
	cs.mu.Lock()
	if err != nil {
		cs.failed = f
	} else {
		cs.failed = nil
	}
	cs.mu.Unlock()
	if err != nil {
		o.log.WarnContext(ctx, "print report", logKeyClerk, cs.Clerk.ID, logKeyErr, err)
		return Printed{}, officeWords.errPrintFailed(err)
	}
	p.countReport(ctx, o.log, f.subjectID, f.no, f.at)
	o.log.InfoContext(ctx, "report printed at the office", logKeyClerk, cs.Clerk.ID, "report", f.no, "job", job)
	return Printed{Via: PrintedA4, JobID: job, No: f.no}, nil
}

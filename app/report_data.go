package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// ReportData reads from the store what a credit report about subj shows,
// issued at at: the subject's records (an absent list is none), every
// inquiry into it a terminal knows of (its own log and other terminals',
// Art. 24, 45: AllInquiries) and the data's age, stale when never synced
// or older than staleAfter at now (the platform's clock where known). It
// is the one place the report's content is gathered, used by the kiosk's
// PrintReport (from the session it read at the card read), the office's
// PrintInquiryReport and creditctl report. Errors are wrapped with the
// step that failed.
func ReportData(ctx context.Context, recs Records, inq InquiryLog, subj credit.Subject, at, now time.Time, staleAfter time.Duration) (report.Report, error) {
	records, err := recs.RecordsOf(ctx, subj.ID)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return report.Report{}, fmt.Errorf("report: records: %w", err)
	}
	inqs, err := AllInquiries(ctx, inq, subj.ID)
	if err != nil {
		return report.Report{}, fmt.Errorf("report: inquiries: %w", err)
	}
	asOf, err := recs.DataAsOf(ctx)
	if err != nil {
		return report.Report{}, fmt.Errorf("report: data as of: %w", err)
	}
	return assembleReport(subj, records, inqs, asOf, isStale(asOf, now, staleAfter), at), nil
}

// assembleReport is a report's data: only subj's own records are kept.
func assembleReport(subj credit.Subject, records []credit.Record, inqs []credit.Inquiry, asOf time.Time, stale bool, at time.Time) report.Report {
	own := records[:0:0]
	for _, r := range records {
		if r.SubjectID == subj.ID {
			own = append(own, r)
		}
	}
	return report.Report{Subject: subj, Records: own, Inquiries: inqs, DataAsOf: asOf, Stale: stale, IssuedAt: at}
}

// issueReport numbers r (by its issue time, on this device's region and
// device code), signs and renders it, and queues it for registration
// with the platform before it prints: a paper that went out is always
// registered (a registered report that failed to print harms nobody).
// The kiosk and the office print what it returns. A signer the trust
// list refuses fails the render with its EUNAUTHORIZED *credit.Error.
func (p printDeps) issueReport(ctx context.Context, r report.Report) (no string, out *report.Rendered, err error) {
	c := r.IssuedAt.In(credit.China)
	no, err = report.MakeReportNo(p.region, p.devCode, r.IssuedAt, c.Hour()*3600+c.Minute()*60+c.Second())
	if err != nil {
		return "", nil, fmt.Errorf("report number: %w", err)
	}
	r.ReportNo, r.Office = no, p.office
	if out, err = report.Render(r, p.signer, ReportValidity); err != nil {
		return "", nil, fmt.Errorf("render report: %w", err)
	}
	if p.reg != nil {
		if err := p.reg.QueueRegistration(ctx, out.Signed); err != nil {
			return "", nil, fmt.Errorf("queue report registration: %w", err)
		}
	}
	return no, out, nil
}

// reportTitle is a report's print job title.
func reportTitle(no string) string { return "公共信用信息报告 " + no }

// countReport counts a printed report towards the subject's free reports
// of the year (Art. 45); a failure is logged, never returned: the paper
// went out and the count is informational. It reports whether this
// device counts reports at all.
func (p printDeps) countReport(ctx context.Context, log *slog.Logger, subjectID, no string, at time.Time) bool {
	if p.reports == nil {
		return false
	}
	if err := p.reports.LogReport(ctx, subjectID, no, at); err != nil {
		log.WarnContext(ctx, "count report", logKeyErr, err)
	}
	return true
}

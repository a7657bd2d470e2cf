package devicesync

import (
	"context"
	"encoding/hex"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// ReportStore is the durable queue of issued reports waiting to be
// registered with the platform (store.DB).
type ReportStore interface {
	QueueReportRegistration(ctx context.Context, r store.ReportRegistration) error
	PendingReportRegistrations(ctx context.Context, limit int) ([]store.ReportRegistration, error)
	FinishReportRegistration(ctx context.Context, no, refused string) error
	ReportRegistrationAttempt(ctx context.Context, no string) error
}

// Registry joins the app, the store and the sync loop for report
// registration: the app queues each issued report (app.ReportRegistry),
// the sync loop sends the queue (syncclient.ReportQueue).
type Registry struct{ Store ReportStore }

// QueueRegistration keeps what the platform's lookup needs of a signed
// report: number, verification code, kid, times, type and the masked
// subject ID as printed. Nothing else (no name) leaves the device.
func (r Registry) QueueRegistration(ctx context.Context, s report.Signed) error {
	return r.Store.QueueReportRegistration(ctx, store.ReportRegistration{
		No: s.Claims.ReportID, Code: s.Code, KID: hex.EncodeToString(s.KID[:]),
		IssuedAt: s.Claims.IssuedAt, Expires: s.Claims.Expires, Type: int(s.Claims.Type),
		SubjectIDDisplay: s.Claims.SubjectIDDisplay,
	})
}

// PendingReports returns the queued reports as the platform takes them.
func (r Registry) PendingReports(ctx context.Context, limit int) ([]syncclient.PendingReport, error) {
	regs, err := r.Store.PendingReportRegistrations(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]syncclient.PendingReport, len(regs))
	for i, g := range regs {
		out[i] = syncclient.PendingReport{No: g.No, Record: protocol.ReportRecordV1{
			Code: g.Code, KID: g.KID, IssuedAt: g.IssuedAt, Expires: g.Expires, ReportType: g.Type, SubjectIDDisplay: g.SubjectIDDisplay,
		}}
	}
	return out, nil
}

// ReportAnswered records the platform's answer; the report is not sent
// again.
func (r Registry) ReportAnswered(ctx context.Context, no, refused string) error {
	return r.Store.FinishReportRegistration(ctx, no, refused)
}

// ReportNotSent counts a send that did not reach the platform.
func (r Registry) ReportNotSent(ctx context.Context, no string) error {
	return r.Store.ReportRegistrationAttempt(ctx, no)
}

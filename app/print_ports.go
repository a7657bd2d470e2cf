package app

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// SlipPrinter prints short documents on a thermal receipt printer
// (device/escpos implements it). Both printer ports are optional: a nil
// one means the printer is not fitted.
type SlipPrinter interface {
	PrintSlip(ctx context.Context, s credit.Slip) error
}

// DocumentPrinter prints an A4 PDF (through CUPS on Linux) and returns
// the print system's job ID.
type DocumentPrinter interface {
	PrintPDF(ctx context.Context, title string, pdf []byte) (jobID string, err error)
}

// ReportRegistry keeps issued reports for registration with the
// platform's online lookup (report number, verification code, kid, times,
// masked subject ID; §6 "online verification"). It must be durable: a
// report printed offline is registered when sync comes back.
type ReportRegistry interface {
	QueueRegistration(ctx context.Context, s report.Signed) error
}

// ReportLog counts the reports issued per subject, for the "free reports
// used this year" notice (Art. 45). store.DB implements it.
type ReportLog interface {
	// LogReport records that report no was issued about subjectID at at.
	LogReport(ctx context.Context, subjectID, no string, at time.Time) error
	// ReportsIssued returns when reports about subjectID were issued at or
	// after since.
	ReportsIssued(ctx context.Context, subjectID string, since time.Time) ([]time.Time, error)
}

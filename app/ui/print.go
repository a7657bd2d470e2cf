package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// printState is one document's print job as the screen shows it.
type printState struct {
	running bool
	done    *app.Printed
	err     error
}

// text is the state in the current language ("" when nothing was tried).
func (u *UI) printText(p printState, printedMsg msg) string {
	switch {
	case p.running:
		return t(u.lang, msgPrinting)
	case p.err != nil && u.lang == English:
		return credit.ErrorMessageEN(p.err)
	case p.err != nil:
		return credit.ErrorMessage(p.err)
	case p.done == nil:
		return ""
	case printedMsg == msgReportPrinted:
		return tf(u.lang, msgReportPrinted, p.done.No)
	case p.done.Via == app.PrintedSlip:
		return t(u.lang, msgPrintedSlip)
	}
	return tf(u.lang, msgPrintedA4, p.done.JobID)
}

// setPrintLabel shows p on l.
func (u *UI) setPrintLabel(l *widget.Label, p printState, printedMsg msg) {
	if l == nil {
		return
	}
	text := u.printText(p, printedMsg)
	u.fontForText(text)
	l.SetText(text)
	l.Importance = widget.SuccessImportance
	if p.err != nil {
		l.Importance = widget.DangerImportance
	}
	was := l.Visible()
	if l.Text == "" {
		l.Hide()
	} else {
		l.Show()
	}
	l.Refresh()
	if was != l.Visible() && u.body != nil {
		u.body.Refresh() // lay the screen out again around the line
	}
}

// printReceipt prints the receipt on screen; after a failure the same
// button prints it again.
func (u *UI) printReceipt() {
	u.touch()
	sess, o, r := u.session, u.receipt, u.restored
	if sess == nil || (o == nil && r == nil) || u.busy {
		return
	}
	u.printing = printState{running: true}
	u.refreshReceiptPrint()
	u.call(func(ctx context.Context) func() {
		var p app.Printed
		var err error
		if r != nil {
			p, err = u.svc.PrintRestorationReceipt(ctx, sess, *r)
		} else {
			p, err = u.svc.PrintObjectionReceipt(ctx, sess, *o)
		}
		return func() {
			if u.session != sess || u.screen != screenReceipt {
				return
			}
			if err != nil {
				u.log.Info("receipt not printed", "code", credit.ErrorCode(err))
				u.printing = printState{err: err}
			} else {
				u.printing = printState{done: &p}
			}
			u.refreshReceiptPrint()
		}
	})
}

// refreshReceiptPrint updates the receipt screen's print line and button.
func (u *UI) refreshReceiptPrint() {
	r := &u.receiptView
	if r.printBtn == nil {
		return
	}
	u.setPrintLabel(r.printStatus, u.printing, msgPrintedSlip)
	r.printBtn.SetText(t(u.lang, msgPrintReceipt))
	if u.printing.err != nil || u.printing.done != nil {
		r.printBtn.SetText(t(u.lang, msgPrintAgain))
	}
	if u.printing.running {
		r.printBtn.Disable()
	} else {
		r.printBtn.Enable()
	}
}

// printReport prints the holder's credit report.
func (u *UI) printReport() {
	u.touch()
	sess := u.session
	if sess == nil || u.busy {
		return
	}
	u.reporting = printState{running: true}
	u.refreshReportPrint()
	u.call(func(ctx context.Context) func() {
		p, err := u.svc.PrintReport(ctx, sess)
		return func() {
			if u.session != sess {
				return
			}
			if err != nil {
				u.log.Info("report not printed", "code", credit.ErrorCode(err))
				u.reporting = printState{err: err}
			} else {
				u.reporting = printState{done: &p}
			}
			if u.screen == screenRecords {
				u.refreshReportPrint()
			}
		}
	})
}

// refreshReportPrint updates the records screen's report line, button
// and the free-report count.
func (u *UI) refreshReportPrint() {
	r := &u.records
	if r.reportBtn == nil {
		return
	}
	u.setPrintLabel(r.reportStatus, u.reporting, msgReportPrinted)
	if u.reporting.running {
		r.reportBtn.Disable()
	} else {
		r.reportBtn.Enable()
	}
	if r.allowance != nil && u.session != nil {
		r.allowance.SetText(u.allowanceText(u.session))
		was := r.allowance.Visible()
		if r.allowance.Text == "" {
			r.allowance.Hide()
		} else {
			r.allowance.Show()
		}
		if was != r.allowance.Visible() {
			u.body.Refresh()
		}
	}
}

// allowanceText is "free reports used this year: n of 2" ("" when the
// terminal cannot count).
func (u *UI) allowanceText(s *app.Session) string {
	if !s.AllowanceKnown {
		return ""
	}
	zh, en := s.Allowance.Label()
	if u.lang == English {
		return tf(u.lang, msgAllowanceNote, en)
	}
	return tf(u.lang, msgAllowanceNote, zh)
}

// reveal shows a line that was hidden when the screen was built and lays
// the screen out again, so the line gets a place of its own.
func (u *UI) reveal(o fyne.CanvasObject) {
	if o.Visible() {
		return
	}
	o.Show()
	u.body.Refresh()
}

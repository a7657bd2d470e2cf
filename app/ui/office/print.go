package office

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// Printing from the office screens: the intake receipt, the credit report
// of an authorised inquiry's subject and the reprint of an open
// application's receipt from the queue. The app.Office decides what may
// be printed; these handlers show the outcome and offer "print again"
// after a printer failure.

// printOutcome is the result of the last print from one screen.
type printOutcome struct {
	key    string   // what was printed: application ID or subject ID
	what   printMsg // printMsgKindReceipt or printMsgKindReport
	no     string
	job    string
	failed bool // the printer failed: the button offers "print again"
}

// printState holds each screen's last outcome across rebuilds.
type printState struct {
	receipt, report, queue printOutcome
	reprint                string // ID of the queue item chosen for a reprint
}

// printWidgets are the print buttons and notes of the screens.
type printWidgets struct {
	receiptBtn, reportBtn, reprintBtn    *widget.Button
	receiptNote, reportNote, reprintNote *widget.Label
	reprint                              *widget.Select
}

// printButton is a print button, saying "print again" after a failure of
// the same document.
func (u *UI) printButton(label printMsg, o printOutcome, key string, tap func()) *widget.Button {
	text := tp(u.lang, label)
	if o.failed && o.key == key {
		text = tp(u.lang, printMsgAgain)
	}
	b := widget.NewButton(text, tap)
	b.Importance = widget.HighImportance
	return b
}

// printNote says where the last print of key went.
func (u *UI) printNote(o printOutcome, key string) *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	if o.key != key || key == "" {
		return l
	}
	what := strings.TrimSpace(tp(u.lang, o.what) + " " + o.no) // no number when it failed
	switch {
	case o.failed:
		l.SetText(tpf(u.lang, printMsgFailed, what))
		l.Importance = widget.DangerImportance
	case o.job != "":
		l.SetText(tpf(u.lang, printMsgSentJob, what, o.job))
	default:
		l.SetText(tpf(u.lang, printMsgSent, what))
	}
	return l
}

// runPrint runs a print off the UI thread and records its outcome in
// slot: a printer failure keeps the document for "print again", any
// other refusal is shown as an error.
func (u *UI) runPrint(slot *printOutcome, key string, what printMsg, print func(ctx context.Context, cs *app.ClerkSession) (app.Printed, error)) {
	u.touch()
	runOr(u, print, func(p app.Printed) {
		*slot = printOutcome{key: key, what: what, no: p.No, job: p.JobID}
		u.clearMessage()
		u.render()
	}, func(err error) {
		*slot = printOutcome{}
		if credit.ErrorCode(err) == credit.EDEVICE {
			*slot = printOutcome{key: key, what: what, failed: true}
		}
		u.showError(err)
		u.render()
	})
}

// receiptPrintRow is the intake receipt's print button and note.
func (u *UI) receiptPrintRow(rc *intakeReceipt) fyne.CanvasObject {
	v := &u.prTab
	key := rc.id()
	v.receiptBtn = u.printButton(printMsgReceipt, u.prints.receipt, key, u.printReceipt)
	v.receiptNote = u.printNote(u.prints.receipt, key)
	u.cannotPrint(u.office.CanPrintReceipt(), v.receiptBtn, v.receiptNote, printMsgCannotReceipt)
	return container.NewVBox(container.NewHBox(v.receiptBtn), v.receiptNote) // the button at its own width
}

// printReceipt prints the receipt of the application just taken.
func (u *UI) printReceipt() {
	rc := u.intake.receipt
	if rc == nil {
		return
	}
	kind, id := credit.KindObjection, rc.id()
	if rc.restoration != nil {
		kind = credit.KindRestoration
	}
	u.runPrint(&u.prints.receipt, id, printMsgKindReceipt, func(ctx context.Context, cs *app.ClerkSession) (app.Printed, error) {
		return u.office.PrintReceipt(ctx, cs, kind, id)
	})
}

// reportPrintRow is the inquiry result's print button and note.
func (u *UI) reportPrintRow(view *app.InquiryView) fyne.CanvasObject {
	v := &u.prTab
	key := view.Subject.ID
	v.reportBtn = u.printButton(printMsgReport, u.prints.report, key, u.printReport)
	v.reportNote = u.printNote(u.prints.report, key)
	if v.reportNote.Text == "" && view.Subject.IsPerson() {
		v.reportNote.SetText(tp(u.lang, printMsgReportNote))
	}
	u.cannotPrint(u.office.CanPrintReport(), v.reportBtn, v.reportNote, printMsgCannotReport)
	return container.NewVBox(container.NewHBox(v.reportBtn), v.reportNote)
}

// printReport prints the credit report of the subject on screen.
func (u *UI) printReport() {
	view := u.inq.view
	if view == nil {
		return
	}
	id := view.Subject.ID
	u.runPrint(&u.prints.report, id, printMsgKindReport, func(ctx context.Context, cs *app.ClerkSession) (app.Printed, error) {
		return u.office.PrintInquiryReport(ctx, cs, id)
	})
}

// reprintRow lets the clerk reprint the receipt of an open application
// in the queue.
func (u *UI) reprintRow() fyne.CanvasObject {
	v := &u.prTab
	nos := make([]string, len(u.queue.items))
	for i, it := range u.queue.items {
		nos[i] = it.No
	}
	v.reprint = widget.NewSelect(nos, nil)
	v.reprint.PlaceHolder = tp(u.lang, printMsgReprintChoose)
	key := ""
	if i := u.reprintIndex(); i >= 0 {
		v.reprint.SetSelectedIndex(i)
		key = u.prints.reprint
	}
	v.reprint.OnChanged = func(string) {
		u.touch()
		if i := v.reprint.SelectedIndex(); i >= 0 && i < len(u.queue.items) {
			u.prints.reprint = u.queue.items[i].ID
		}
	}
	v.reprintBtn = u.printButton(printMsgReprint, u.prints.queue, key, u.reprintReceipt)
	v.reprintNote = u.printNote(u.prints.queue, key)
	u.cannotPrint(u.office.CanPrintReceipt(), v.reprintBtn, v.reprintNote, printMsgCannotReceipt)
	if !u.office.CanPrintReceipt() {
		v.reprint.Disable()
	}
	return container.NewBorder(nil, v.reprintNote, nil, v.reprintBtn, v.reprint)
}

// reprintIndex is the position of the chosen item in the queue; -1 when
// none is chosen or it left the queue.
func (u *UI) reprintIndex() int {
	for i, it := range u.queue.items {
		if u.prints.reprint != "" && it.ID == u.prints.reprint {
			return i
		}
	}
	return -1
}

// reprintReceipt prints the receipt of the chosen queue item.
func (u *UI) reprintReceipt() {
	i := u.reprintIndex()
	if i < 0 {
		u.showError(credit.Errorf(credit.EINVALID, t(ui.Chinese, msgErrReprintChoose), t(ui.English, msgErrReprintChoose)))
		return
	}
	it := u.queue.items[i]
	u.runPrint(&u.prints.queue, it.ID, printMsgKindReceipt, func(ctx context.Context, cs *app.ClerkSession) (app.Printed, error) {
		return u.office.PrintReceipt(ctx, cs, it.Kind, it.ID)
	})
}

// cannotPrint disables a print button when this computer cannot print
// that document, and says so under it with what to do instead; a note
// with nothing to say is hidden, so it leaves no gap.
func (u *UI) cannotPrint(can bool, btn *widget.Button, note *widget.Label, why printMsg) {
	if !can {
		btn.Disable()
		note.SetText(tp(u.lang, why))
		note.Importance = widget.WarningImportance
	}
	if note.Text == "" {
		note.Hide()
	}
}

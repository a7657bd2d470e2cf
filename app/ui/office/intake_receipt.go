package office

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/report"
)

// The intake receipt screen and evidence attachments.

// intakeReceipt is the application just taken and its evidence.
type intakeReceipt struct {
	objection   *credit.Objection
	restoration *credit.Restoration
	evidence    []credit.Evidence
}

func (r *intakeReceipt) id() string {
	if r.objection != nil {
		return r.objection.ID
	}
	return r.restoration.ID
}

// buildReceipt shows the number and due dates of the application just
// taken and its evidence.
func (u *UI) buildReceipt() fyne.CanvasObject {
	v, rc := &u.inTab, u.intake.receipt
	add := func(text string) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		v.receipt = append(v.receipt, l)
	}
	title := widget.NewLabelWithStyle(t(u.lang, msgReceiptTitle), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// The application and its two due dates: labelling and decision for
	// an objection, acceptance and feedback for a restoration.
	kindMsg, kind, no, at := msgKindObjection, credit.KindObjection, "", time.Time{}
	var dues [2]struct {
		label msg
		at    time.Time
	}
	if o := rc.objection; o != nil {
		no, at = o.No, o.ReceivedAt
		dues[0].label, dues[0].at, dues[1].label, dues[1].at = msgReceiptLabelDue, o.LabelDue, msgReceiptDecisionDue, o.DecisionDue
	} else if r := rc.restoration; r != nil {
		kindMsg, kind, no, at = msgKindRestoration, credit.KindRestoration, r.No, r.ReceivedAt
		dues[0].label, dues[0].at, dues[1].label, dues[1].at = msgReceiptAcceptDue, r.AcceptDue, msgReceiptFeedbackDue, r.FeedbackDue
	}
	add(t(u.lang, kindMsg))
	add(tf(u.lang, msgReceiptNo, no))
	add(tf(u.lang, msgReceiptAt, formatDateTime(at)))
	mark := u.dueMark(kind, at)
	for _, d := range dues {
		add(tf(u.lang, d.label, formatDateTime(d.at)) + mark)
	}
	if mark != "" {
		add(pick(u.lang, report.ProvisionalNoteZH, report.ProvisionalNoteEN))
	}
	if kind == credit.KindRestoration {
		add(t(u.lang, msgFree))
	}
	objs := []fyne.CanvasObject{title}
	for _, l := range v.receipt {
		objs = append(objs, l)
	}
	objs = append(objs, widget.NewSeparator(), widget.NewLabelWithStyle(t(u.lang, msgEvidence), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(rc.evidence) == 0 {
		v.evidence = append(v.evidence, widget.NewLabel(t(u.lang, msgNoEvidence)))
	}
	for _, e := range rc.evidence {
		v.evidence = append(v.evidence, widget.NewLabel(tf(u.lang, msgEvidenceItem, e.Name, string(e.Type), (e.Size+1023)/1024)))
	}
	for _, l := range v.evidence {
		objs = append(objs, l)
	}
	local := widget.NewLabel(t(u.lang, msgEvidenceLocal))
	local.Wrapping = fyne.TextWrapWord
	v.attachBtn = widget.NewButton(t(u.lang, msgAttach), u.chooseEvidence)
	if len(rc.evidence) >= credit.MaxEvidencePerApp {
		v.attachBtn.Disable()
	}
	v.nextBtn = widget.NewButton(t(u.lang, msgNewIntake), u.clearIntake)
	objs = append(objs, local, container.NewHBox(v.attachBtn, v.nextBtn), widget.NewSeparator(), u.receiptPrintRow(rc))
	return container.NewVScroll(container.NewVBox(objs...))
}

// dueMark is "（暂定）" / " (provisional)" after the due dates of an
// application whose deadlines reach into a year whose holiday notice is
// not out yet (issue #5; app.Office.DuesProvisional), as on the kiosk and
// the printed receipt; else "".
func (u *UI) dueMark(kind credit.ApplicationKind, receivedAt time.Time) string {
	if !u.office.DuesProvisional(kind, receivedAt) {
		return ""
	}
	return t(u.lang, msgProvisionalMark)
}

// chooseEvidence opens a file dialog for PDF, JPEG and PNG files (the
// service checks the content, whatever the name says).
func (u *UI) chooseEvidence() {
	u.openFile("read evidence file", credit.MaxEvidenceBytes, []string{".pdf", ".jpg", ".jpeg", ".png"}, u.attachEvidence)
}

// attachEvidence attaches a file's bytes to the application on the receipt.
func (u *UI) attachEvidence(name string, data []byte) {
	u.touch()
	rc := u.intake.receipt
	if rc == nil {
		return
	}
	id := rc.id()
	shown := func() bool { return u.intake.receipt == rc } // not a new intake meanwhile
	runOr(u, func(ctx context.Context, cs *app.ClerkSession) ([]credit.Evidence, error) {
		if _, err := u.office.AttachEvidence(ctx, cs, id, name, data); err != nil {
			return nil, err
		}
		return u.office.EvidenceOf(ctx, cs, id)
	}, func(list []credit.Evidence) {
		if shown() {
			rc.evidence = list
			u.clearMessage()
			u.render()
		}
	}, func(err error) {
		if shown() {
			u.showError(err)
		}
	})
}

package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// objectionDraft is what the holder has entered so far; it survives a
// language switch.
type objectionDraft struct {
	recordID  string
	typeIndex int // index into credit.ObjectionTypes; -1 none
	statement string
	contact   string
}

// objectionForm is the short objection form.
type objectionForm struct {
	title     *widget.Label
	typ       *widget.Select
	statement *widget.Entry
	contact   *widget.Entry
	errLabel  *widget.Label // validation errors, in place
	submitBtn *kioskwidget.Button
	cancelBtn *kioskwidget.Button
}

// receiptScreen confirms a filed objection.
type receiptScreen struct {
	title       *widget.Label
	number      *widget.Label
	receivedAt  *widget.Label
	labelDue    *widget.Label
	decisionDue *widget.Label
	provisional *widget.Label // why the dates are marked provisional; nil when not
	free        *widget.Label
	printBtn    *kioskwidget.Button // nil when this terminal cannot print receipts
	printStatus *widget.Label
	backBtn     *kioskwidget.Button
}

// startObjection opens the form for one of the holder's records.
func (u *UI) startObjection(recordID string) {
	u.draft = objectionDraft{recordID: recordID, typeIndex: -1}
	u.screen, u.lastErr, u.notice = screenObjection, nil, 0
	u.render()
	u.touch()
}

// typeLabels are the objection types in the current language.
func (u *UI) typeLabels() []string {
	out := make([]string, len(credit.ObjectionTypes))
	for i, typ := range credit.ObjectionTypes {
		zh, en := typ.Label()
		out[i] = zh
		if u.lang == English {
			out[i] = en
		}
	}
	return out
}

func (u *UI) buildObjectionForm() fyne.CanvasObject {
	if u.session == nil {
		return u.buildHome()
	}
	rec, _ := u.session.Record(u.draft.recordID)
	f := &u.form
	f.title = heading(tf(u.lang, msgObjectionTitle, rec.Title))
	f.title.Wrapping = fyne.TextWrapWord
	f.typ = widget.NewSelect(u.typeLabels(), nil)
	f.typ.PlaceHolder = t(u.lang, msgChooseType)
	if u.draft.typeIndex >= 0 {
		f.typ.SetSelectedIndex(u.draft.typeIndex)
	}
	f.statement = widget.NewMultiLineEntry()
	f.statement.Wrapping = fyne.TextWrapWord
	f.statement.SetMinRowsVisible(4)
	f.statement.SetPlaceHolder(t(u.lang, msgStatementHint))
	f.statement.SetText(u.draft.statement)
	f.statement.OnChanged = func(s string) { u.fontForText(s); u.touch() }
	f.contact = widget.NewEntry()
	f.contact.SetPlaceHolder(t(u.lang, msgContactHint))
	f.contact.SetText(u.draft.contact)
	f.contact.OnChanged = u.fontForText
	f.errLabel = widget.NewLabel("")
	f.errLabel.Importance = widget.DangerImportance
	f.errLabel.Wrapping = fyne.TextWrapWord
	f.errLabel.Hide()
	f.submitBtn = kioskwidget.NewButton(t(u.lang, msgSubmit), u.submitObjection)
	f.submitBtn.Importance = widget.HighImportance
	f.cancelBtn = kioskwidget.NewButton(t(u.lang, msgCancel), func() { u.show(screenRecords) })
	return container.NewVScroll(container.NewVBox(
		f.title,
		heading(t(u.lang, msgObjectionType)), f.typ,
		heading(t(u.lang, msgStatement)), f.statement,
		heading(t(u.lang, msgContact)), f.contact,
		f.errLabel,
		container.NewHBox(f.submitBtn, f.cancelBtn),
		widget.NewLabel(t(u.lang, msgFree)),
	))
}

// saveDraft copies the form into the draft.
func (u *UI) saveDraft() {
	f := &u.form
	if f.typ == nil {
		return
	}
	u.draft.typeIndex = f.typ.SelectedIndex()
	u.draft.statement = f.statement.Text
	u.draft.contact = f.contact.Text
}

// submitObjection files the objection; validation errors stay on the form.
func (u *UI) submitObjection() {
	u.touch()
	u.saveDraft()
	d, sess := u.draft, u.session
	var typ credit.ObjectionType
	if d.typeIndex >= 0 && d.typeIndex < len(credit.ObjectionTypes) {
		typ = credit.ObjectionTypes[d.typeIndex]
	}
	u.call(func(ctx context.Context) func() {
		o, err := u.svc.FileObjection(ctx, sess, d.recordID, typ, d.statement, d.contact)
		return func() {
			if u.session != sess || u.screen != screenObjection {
				return // finished (or timed out) while the call ran
			}
			if err != nil {
				u.showFormError(err)
				return
			}
			u.receipt, u.restored, u.printing = &o, nil, printState{}
			u.show(screenReceipt)
		}
	})
}

// showFormError shows err in place on the form.
func (u *UI) showFormError(err error) {
	f := &u.form
	if f.errLabel == nil {
		u.showError(err)
		return
	}
	u.log.Info("form error shown", "code", credit.ErrorCode(err))
	text := credit.ErrorMessage(err)
	if u.lang == English {
		text = credit.ErrorMessageEN(err)
	}
	u.fontForText(text)
	f.errLabel.SetText(text)
	u.reveal(f.errLabel)
}

func (u *UI) buildReceipt() fyne.CanvasObject {
	o, rs := u.receipt, u.restored
	if (o == nil && rs == nil) || u.session == nil {
		return u.buildHome()
	}
	r := &u.receiptView
	*r = receiptScreen{}
	var mark string
	if rs != nil {
		r.title = heading(t(u.lang, msgRestReceiptTitle))
		r.number = heading(tf(u.lang, msgApplicationNo, rs.No))
		r.receivedAt = widget.NewLabel(tf(u.lang, msgReceivedAt, formatDateTime(rs.ReceivedAt)))
		mark = u.dueMark(credit.KindRestoration, rs.ReceivedAt) // provisional.go
		r.labelDue = widget.NewLabel(tf(u.lang, msgAcceptDue, formatDateTime(rs.AcceptDue)) + mark)
		r.decisionDue = widget.NewLabel(tf(u.lang, msgFeedbackDue, formatDateTime(rs.FeedbackDue)) + mark)
	} else {
		r.title = heading(t(u.lang, msgReceiptTitle))
		r.number = heading(tf(u.lang, msgApplicationNo, o.No))
		r.receivedAt = widget.NewLabel(tf(u.lang, msgReceivedAt, formatDateTime(o.ReceivedAt)))
		mark = u.dueMark(credit.KindObjection, o.ReceivedAt) // provisional.go
		r.labelDue = widget.NewLabel(tf(u.lang, msgLabelDue, formatDateTime(o.LabelDue)) + mark)
		r.decisionDue = widget.NewLabel(tf(u.lang, msgDecisionDue, formatDateTime(o.DecisionDue)) + mark)
	}
	r.title.SizeName = theme.SizeNameSubHeadingText
	r.free = widget.NewLabel(t(u.lang, msgFree))
	r.free.Importance = widget.SuccessImportance
	r.backBtn = kioskwidget.NewButton(t(u.lang, msgBackToRecords), func() {
		u.receipt, u.restored, u.printing = nil, nil, printState{}
		u.show(screenRecords)
	})
	r.backBtn.Importance = widget.HighImportance
	r.printBtn = kioskwidget.NewButton(t(u.lang, msgPrintReceipt), u.printReceipt)
	r.printBtn.Importance = widget.HighImportance
	r.printStatus = widget.NewLabel("")
	r.printStatus.Wrapping = fyne.TextWrapWord
	u.refreshReceiptPrint()
	big := func(b *kioskwidget.Button) fyne.CanvasObject { return container.NewGridWrap(fyne.NewSize(280, 72), b) }
	items := []fyne.CanvasObject{r.title, r.number, r.receivedAt, r.labelDue, r.decisionDue}
	if mark != "" {
		r.provisional = u.provisionalNote()
		items = append(items, r.provisional)
	}
	return container.NewVBox(append(items, r.free, container.NewHBox(big(r.printBtn), big(r.backBtn)), r.printStatus)...)
}

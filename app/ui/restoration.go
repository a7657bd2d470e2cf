package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// Steps of the restoration wizard, one screen each.
const (
	stepPerformance = iota // what the holder did to perform the obligations
	stepLetter             // the commitment letter, in full
	stepSign               // sign by ticking
	stepContact            // contact (optional)
	stepReview             // check and submit
	restorationSteps
)

// restorationDraft is what the holder has entered so far; it survives a
// language switch.
type restorationDraft struct {
	recordID    string
	step        int
	performance string
	signed      bool
	contact     string
}

// restorationWizard holds the widgets of the current step (others nil).
type restorationWizard struct {
	title       *widget.Label
	stepLabel   *widget.Label
	performance *widget.Entry
	letter      *widget.Label
	sign        *widget.Check
	contact     *widget.Entry
	summary     []*widget.Label
	errLabel    *widget.Label
	nextBtn     *kioskwidget.Button
	backBtn     *kioskwidget.Button
	submitBtn   *kioskwidget.Button
	cancelBtn   *kioskwidget.Button
}

// startRestoration opens the wizard for one of the holder's records.
func (u *UI) startRestoration(recordID string) {
	u.rdraft = restorationDraft{recordID: recordID}
	u.screen, u.lastErr, u.notice = screenRestoration, nil, 0
	u.render()
	u.touch()
}

// letterText is the commitment letter in the current language.
func (u *UI) letterText(rec credit.Record) string {
	zh, en := app.CommitmentLetter(u.session.Card.Name, rec)
	if u.lang == English {
		return en
	}
	return zh
}

func (u *UI) buildRestoration() fyne.CanvasObject {
	if u.session == nil {
		return u.buildHome()
	}
	d := &u.rdraft
	rec, _ := u.session.Record(d.recordID)
	w := &u.wizard
	*w = restorationWizard{}
	w.title = heading(tf(u.lang, msgRestTitle, rec.Title))
	w.title.Wrapping = fyne.TextWrapWord
	w.stepLabel = widget.NewLabel(tf(u.lang, msgStep, d.step+1, restorationSteps))
	w.errLabel = widget.NewLabel("")
	w.errLabel.Importance = widget.DangerImportance
	w.errLabel.Wrapping = fyne.TextWrapWord
	w.errLabel.Hide()
	w.backBtn = kioskwidget.NewButton(t(u.lang, msgBack), u.restorationBack)
	w.cancelBtn = kioskwidget.NewButton(t(u.lang, msgCancel), func() { u.show(screenRecords) })
	w.nextBtn = kioskwidget.NewButton(t(u.lang, msgNext), u.restorationNext)
	w.nextBtn.Importance = widget.HighImportance

	var body []fyne.CanvasObject
	switch d.step {
	case stepPerformance:
		w.performance = widget.NewMultiLineEntry()
		w.performance.Wrapping = fyne.TextWrapWord
		w.performance.SetMinRowsVisible(5)
		w.performance.SetPlaceHolder(t(u.lang, msgPerformanceHint))
		w.performance.SetText(d.performance)
		w.performance.OnChanged = func(s string) { d.performance = s; u.fontForText(s); u.touch() }
		body = []fyne.CanvasObject{heading(t(u.lang, msgPerformance)), w.performance}
		w.backBtn.Hide()
	case stepLetter:
		w.letter = widget.NewLabel(u.letterText(rec))
		w.letter.Wrapping = fyne.TextWrapWord
		body = []fyne.CanvasObject{heading(t(u.lang, msgLetter)), kioskwidget.NewCard("", w.letter)}
	case stepSign:
		w.letter = widget.NewLabel(u.letterText(rec))
		w.letter.Wrapping = fyne.TextWrapWord
		w.sign = widget.NewCheck(t(u.lang, msgSign), func(on bool) {
			d.signed = on
			u.touch()
			if on {
				w.nextBtn.Enable()
			} else {
				w.nextBtn.Disable()
			}
		})
		w.sign.SetChecked(d.signed)
		if !d.signed {
			w.nextBtn.Disable()
		}
		body = []fyne.CanvasObject{kioskwidget.NewCard("", w.letter), w.sign}
	case stepContact:
		w.contact = widget.NewEntry()
		w.contact.SetPlaceHolder(t(u.lang, msgContactHint))
		w.contact.SetText(d.contact)
		w.contact.OnChanged = func(s string) { d.contact = s; u.fontForText(s); u.touch() }
		body = []fyne.CanvasObject{heading(t(u.lang, msgContact)), w.contact}
	default:
		add := func(s string) {
			l := widget.NewLabel(s)
			l.Wrapping = fyne.TextWrapWord
			w.summary = append(w.summary, l)
			body = append(body, l)
		}
		body = append(body, heading(t(u.lang, msgReview)))
		add(rec.Title + "（" + rec.DocumentNo + "）")
		add(t(u.lang, msgPerformance) + "：" + strings.TrimSpace(d.performance))
		add(t(u.lang, msgSigned))
		if c := strings.TrimSpace(d.contact); c != "" {
			add(t(u.lang, msgContact) + "：" + c)
		}
		w.submitBtn = kioskwidget.NewButton(t(u.lang, msgSubmit), u.submitRestoration)
		w.submitBtn.Importance = widget.HighImportance
		w.nextBtn.Hide()
	}
	big := func(b *kioskwidget.Button) fyne.CanvasObject { return container.NewGridWrap(fyne.NewSize(220, 72), b) }
	buttons := container.NewHBox(big(w.backBtn), big(w.nextBtn), big(w.cancelBtn))
	if w.submitBtn != nil {
		buttons = container.NewHBox(big(w.backBtn), big(w.submitBtn), big(w.cancelBtn))
	}
	if d.step == stepPerformance {
		buttons = container.NewHBox(big(w.nextBtn), big(w.cancelBtn))
	}
	items := append([]fyne.CanvasObject{w.title, w.stepLabel}, body...)
	items = append(items, w.errLabel, widget.NewLabel(t(u.lang, msgFree)))
	return container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(container.NewVBox(items...)))
}

// saveRestDraft copies the step's entries into the draft.
func (u *UI) saveRestDraft() {
	w := &u.wizard
	if w.performance != nil {
		u.rdraft.performance = w.performance.Text
	}
	if w.contact != nil {
		u.rdraft.contact = w.contact.Text
	}
}

// restorationNext moves one step on; a missing statement stays on step 1.
func (u *UI) restorationNext() {
	u.touch()
	u.saveRestDraft()
	d := &u.rdraft
	switch {
	case d.step == stepPerformance && strings.TrimSpace(d.performance) == "":
		u.wizard.errLabel.SetText(t(u.lang, msgPerformanceNeeded))
		u.reveal(u.wizard.errLabel)
		return
	case d.step == stepSign && !d.signed:
		return
	case d.step >= stepReview:
		return
	}
	d.step++
	u.render()
}

// restorationBack moves one step back.
func (u *UI) restorationBack() {
	u.touch()
	u.saveRestDraft()
	if u.rdraft.step > 0 {
		u.rdraft.step--
	}
	u.render()
}

// submitRestoration files the application; errors stay on the wizard.
func (u *UI) submitRestoration() {
	u.touch()
	d, sess := u.rdraft, u.session
	u.call(func(ctx context.Context) func() {
		r, err := u.svc.FileRestoration(ctx, sess, d.recordID, d.performance, d.contact, d.signed)
		return func() {
			if u.session != sess || u.screen != screenRestoration {
				return
			}
			if err != nil {
				u.log.Info("restoration error shown", "code", credit.ErrorCode(err))
				msg := credit.ErrorMessage(err)
				if u.lang == English {
					msg = credit.ErrorMessageEN(err)
				}
				u.fontForText(msg)
				u.wizard.errLabel.SetText(msg)
				u.reveal(u.wizard.errLabel)
				return
			}
			u.receipt, u.restored, u.printing = nil, &r, printState{}
			u.show(screenReceipt)
		}
	})
}

// clearWizard blanks the wizard's widgets before they are dropped.
func (u *UI) clearWizard() {
	w := &u.wizard
	for _, l := range append([]*widget.Label{w.title, w.letter}, w.summary...) {
		if l != nil {
			l.SetText("")
		}
	}
	for _, e := range []*widget.Entry{w.performance, w.contact} {
		if e != nil {
			e.SetText("")
		}
	}
	*w = restorationWizard{}
}

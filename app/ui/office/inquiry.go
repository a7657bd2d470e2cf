package office

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// inquiryState is what the inquiry tab holds across rebuilds.
type inquiryState struct {
	subject string
	purpose int // index into credit.Art25Purposes; -1 none
	authRef string
	view    *app.InquiryView
	// selected is the record shown in the detail pane (an index into the
	// view's records in list order); -1 none.
	selected int
}

// inquiryTab is the authorised-inquiry form and its results.
type inquiryTab struct {
	subject    *widget.Entry
	purpose    *widget.Select
	authRef    *widget.Entry
	note       *widget.Label
	inquireBtn *widget.Button
	clearBtn   *widget.Button
	checkMsg   *widget.Label // the ID checksum verdict, as typed

	name     *widget.Label
	code     *widget.Label
	logged   *widget.Label
	dataAsOf *widget.Label
	headings []*widget.Label // the category summary
	cards    []*widget.Card  // the shown record's card
	details  []*widget.Label // the shown record's labels

	// The record list (inquiry_list.go): only the rows in view exist.
	list   *widget.List
	recs   []credit.Record
	rows   []*inquiryRow // every row the list made, shown or recycled
	rowOf  map[fyne.CanvasObject]*inquiryRow
	detail *fyne.Container
}

func (u *UI) buildInquiry() fyne.CanvasObject {
	s, v := &u.inq, &u.inqTab
	*v = inquiryTab{}
	v.subject = widget.NewEntry()
	v.subject.SetPlaceHolder(t(u.lang, msgSubjectIDHint))
	v.subject.SetText(s.subject)
	v.checkMsg = widget.NewLabel("")
	v.checkMsg.Importance = widget.DangerImportance
	v.subject.OnChanged = func(string) { u.touch(); u.checkSubject() }
	v.subject.OnSubmitted = func(string) { u.inquire() }
	v.purpose = labelSelect(u, credit.Art25Purposes, s.purpose)
	v.authRef = widget.NewEntry()
	v.authRef.SetPlaceHolder(t(u.lang, msgAuthRefHint))
	v.authRef.SetText(s.authRef)
	v.authRef.OnChanged = func(string) { u.touch() }
	v.authRef.OnSubmitted = func(string) { u.inquire() }
	v.note = widget.NewLabel(t(u.lang, msgAuthRefNote))
	v.note.Wrapping = fyne.TextWrapWord
	v.inquireBtn = widget.NewButton(t(u.lang, msgInquire), u.inquire)
	v.inquireBtn.Importance = widget.HighImportance
	v.clearBtn = widget.NewButton(t(u.lang, msgClear), u.clearInquiry)
	u.checkSubject()

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(t(u.lang, msgSubjectID)), container.NewVBox(v.subject, v.checkMsg),
		widget.NewLabel(t(u.lang, msgPurpose)), v.purpose,
		widget.NewLabel(t(u.lang, msgAuthRef)), v.authRef,
	)
	top := container.NewVBox(form, v.note, container.NewHBox(v.inquireBtn, v.clearBtn), widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, u.buildResults())
}

// checkSubject validates the number as typed (checksum included) once it
// has 18 characters.
func (u *UI) checkSubject() {
	v := &u.inqTab
	if v.subject == nil || v.checkMsg == nil {
		return
	}
	text := v.subject.Text
	if len([]rune(text)) < 18 {
		v.checkMsg.SetText("")
		v.checkMsg.Hide()
		return
	}
	if _, _, err := credit.ParseSubjectID(text); err != nil {
		v.checkMsg.SetText(pick(u.lang, credit.ErrorMessage(err), credit.ErrorMessageEN(err)))
		v.checkMsg.Show()
		return
	}
	v.checkMsg.SetText("")
	v.checkMsg.Hide()
}

// saveInquiryInputs keeps what was typed across a rebuild.
func (u *UI) saveInquiryInputs() {
	v := &u.inqTab
	if v.subject == nil {
		return
	}
	u.inq.subject, u.inq.authRef = v.subject.Text, v.authRef.Text
	u.inq.purpose = v.purpose.SelectedIndex()
}

// inquire asks the service for the subject's records under the purpose and
// authorisation given.
func (u *UI) inquire() {
	u.touch()
	u.saveInquiryInputs()
	subject, authRef := u.inq.subject, u.inq.authRef
	purpose := ""
	if i := u.inq.purpose; i >= 0 && i < len(credit.Art25Purposes) {
		purpose = string(credit.Art25Purposes[i])
	}
	run(u, func(ctx context.Context, cs *app.ClerkSession) (*app.InquiryView, error) {
		return u.office.AuthorisedInquiry(ctx, cs, subject, purpose, authRef)
	}, func(view *app.InquiryView) {
		u.clearResultWidgets()
		u.inq.view, u.inq.selected = view, -1
		u.clearMessage()
		u.render()
	})
}

// clearInquiry empties the form and the results.
func (u *UI) clearInquiry() {
	u.touch()
	u.clearResultWidgets()
	u.inq = inquiryState{purpose: -1, selected: -1}
	u.clearMessage()
	u.render()
}

// buildResults shows the subject and their records grouped by category.
func (u *UI) buildResults() fyne.CanvasObject {
	v, view := &u.inqTab, u.inq.view
	if view == nil {
		return container.NewVBox()
	}
	v.name = widget.NewLabelWithStyle(tf(u.lang, msgSubjectName, view.Subject.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.code = widget.NewLabel(tf(u.lang, msgSubjectCode, view.Subject.ID))
	zh, en := credit.InquiryPurpose(view.Inquiry.Purpose).Label()
	v.logged = widget.NewLabel(tf(u.lang, msgLogged, formatDateTime(view.Inquiry.At), view.Inquiry.InquirerID, pick(u.lang, zh, en)))
	v.logged.Wrapping = fyne.TextWrapWord
	switch {
	case view.DataAsOf.IsZero():
		v.dataAsOf = widget.NewLabel(t(u.lang, msgNeverSynced))
	case view.Stale:
		v.dataAsOf = widget.NewLabel(tf(u.lang, msgStale, formatDateTime(view.DataAsOf)))
	default:
		v.dataAsOf = widget.NewLabel(tf(u.lang, msgDataAsOf, formatDateTime(view.DataAsOf)))
	}
	if view.Stale {
		v.dataAsOf.Importance = widget.WarningImportance
	}
	v.recs = flatRecords(view.Records)
	v.rowOf = map[fyne.CanvasObject]*inquiryRow{}
	head := container.NewVBox(container.NewHBox(v.name, v.code), v.dataAsOf, v.logged, u.reportPrintRow(view), u.categorySummary(view.Records))
	results := container.NewBorder(head, nil, nil, nil, u.recordList())
	if i := u.inq.selected; i >= 0 && i < len(v.recs) {
		v.list.Select(i) // shown again after a language switch
	}
	return results
}

// clearResultWidgets blanks every widget that showed the subject's data,
// so no reference left anywhere still shows it.
func (u *UI) clearResultWidgets() {
	v := &u.inqTab
	for _, l := range []*widget.Label{v.name, v.code, v.logged, v.dataAsOf} {
		if l != nil {
			l.SetText("")
		}
	}
	for _, l := range v.headings {
		l.SetText("")
	}
	u.clearDetail()
	v.recs = nil // the list is empty from now on
	if v.list != nil {
		v.list.UnselectAll()
		v.list.Refresh()
	}
	for _, r := range v.rows {
		r.blank()
	}
	v.name, v.code, v.logged, v.dataAsOf = nil, nil, nil, nil
	v.headings = nil
}

// clearData drops everything the session showed: the inquiry inputs and
// results and the queue.
func (u *UI) clearData() {
	u.clearResultWidgets()
	v := &u.inqTab
	for _, e := range []*widget.Entry{v.subject, v.authRef} {
		if e != nil {
			e.SetText("")
		}
	}
	if v.purpose != nil {
		v.purpose.ClearSelected()
	}
	u.clearQueueWidgets()
	u.clearAuditWidgets() // audit_list.go
	u.clearIntakeWidgets()
	u.clearPrintData()
	u.inq = inquiryState{purpose: -1, selected: -1}
	u.intake = intakeState{role: -1, record: -1, objType: -1}
	u.queue = queueState{}
	u.settings = settingsState{}
	u.login.savedID = ""
}

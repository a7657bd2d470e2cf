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

// intakeState is what the intake tab holds across rebuilds.
type intakeState struct {
	subject, authRef         string
	role                     int // index into credit.ApplicantRoles; -1 none
	view                     *app.IntakeView
	record                   int // index into view.Records; -1 none
	kind                     int // 0 objection, 1 restoration
	objType                  int // index into credit.ObjectionTypes; -1 none
	statement, contact, perf string
	letterShown, committed   bool
	receipt                  *intakeReceipt
}

// intakeTab is the intake form, then the receipt.
type intakeTab struct {
	subject     *widget.Entry
	checkMsg    *widget.Label
	readCardBtn *widget.Button
	role        *widget.Select
	authRef     *widget.Entry
	lookupBtn   *widget.Button
	clearBtn    *widget.Button

	applicant *widget.Label
	record    *widget.Select
	kind      *widget.RadioGroup
	objType   *widget.Select
	statement *widget.Entry
	contact   *widget.Entry
	perf      *widget.Entry
	letterBtn *widget.Button
	letter    *widget.Label
	committed *widget.Check
	free      *widget.Label
	submitBtn *widget.Button

	receipt   []*widget.Label
	evidence  []*widget.Label
	attachBtn *widget.Button
	nextBtn   *widget.Button
}

// intakeFields names the intake form's fields with their labels; the
// Art. 18 test walks it.
var intakeFields = []struct {
	name  string
	label msg
}{
	{"subject_id", msgSubjectID}, {"applicant_role", msgApplicantRole}, {"auth_ref", msgIntakeAuthRef},
	{"record_id", msgRecord}, {"application_kind", msgAppKind}, {"objection_type", msgObjType},
	{"statement", msgStatement}, {"contact", msgContact}, {"performance", msgPerformance},
	{"committed", msgCommitted}, {"evidence", msgEvidence},
}

func (u *UI) buildIntake() fyne.CanvasObject {
	s, v := &u.intake, &u.inTab
	*v = intakeTab{}
	if s.receipt != nil {
		return u.buildReceipt()
	}
	v.subject = widget.NewEntry()
	v.subject.SetPlaceHolder(t(u.lang, msgSubjectIDHint))
	v.subject.SetText(s.subject)
	v.checkMsg = widget.NewLabel("")
	v.checkMsg.Importance = widget.DangerImportance
	v.subject.OnChanged = func(string) { u.touch(); checkID(u, v.subject, v.checkMsg) }
	checkID(u, v.subject, v.checkMsg)
	v.role = labelSelect(u, credit.ApplicantRoles, s.role)
	v.authRef = widget.NewEntry()
	v.authRef.SetPlaceHolder(t(u.lang, msgIntakeAuthRefHint))
	v.authRef.SetText(s.authRef)
	v.authRef.OnChanged = func(string) { u.touch() }
	v.lookupBtn = widget.NewButton(t(u.lang, msgLookUp), u.intakeLookup)
	v.lookupBtn.Importance = widget.HighImportance
	v.clearBtn = widget.NewButton(t(u.lang, msgClear), u.clearIntake)
	buttons := container.NewHBox(v.lookupBtn, v.clearBtn)
	if u.office.HasCardReader() {
		v.readCardBtn = widget.NewButton(t(u.lang, msgReadCard), u.intakeReadCard)
		buttons.Add(v.readCardBtn)
	}
	note := widget.NewLabel(t(u.lang, msgIntakeNote))
	note.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(t(u.lang, msgSubjectID)), container.NewVBox(v.subject, v.checkMsg),
		widget.NewLabel(t(u.lang, msgApplicantRole)), v.role,
		widget.NewLabel(t(u.lang, msgIntakeAuthRef)), v.authRef,
	)
	top := container.NewVBox(form, note, buttons, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(u.buildApplication()))
}

// checkID shows the checksum verdict of an 18-character identifier as typed.
func checkID(u *UI, e *widget.Entry, l *widget.Label) {
	if len([]rune(e.Text)) >= 18 {
		if _, _, err := credit.ParseSubjectID(e.Text); err != nil {
			l.SetText(pick(u.lang, credit.ErrorMessage(err), credit.ErrorMessageEN(err)))
			l.Show()
			return
		}
	}
	l.SetText("")
	l.Hide()
}

// buildApplication is the application form once the subject's records are
// open.
func (u *UI) buildApplication() fyne.CanvasObject {
	s, v := &u.intake, &u.inTab
	if s.view == nil {
		return container.NewVBox()
	}
	subj := s.view.Subject
	v.applicant = widget.NewLabelWithStyle(tf(u.lang, msgApplicant, subj.Name, subj.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	recs := make([]string, len(s.view.Records))
	for i, r := range s.view.Records {
		zh, en := r.Category.Label()
		recs[i] = pick(u.lang, zh, en) + " · " + r.Title + " · " + r.DocumentNo
	}
	v.record = widget.NewSelect(recs, func(string) { u.touch(); s.record = v.record.SelectedIndex() })
	v.record.PlaceHolder = t(u.lang, msgChoosePurpose)
	if s.record >= 0 && s.record < len(recs) {
		v.record.SetSelectedIndex(s.record)
	}
	v.kind = widget.NewRadioGroup([]string{t(u.lang, msgKindObjection), t(u.lang, msgKindRestoration)}, nil)
	v.kind.Horizontal = true
	v.kind.SetSelected(v.kind.Options[s.kind])
	v.kind.OnChanged = func(string) {
		u.saveIntakeInputs()
		if i := indexOf(v.kind.Options, v.kind.Selected); i >= 0 {
			s.kind = i
		}
		u.render()
		u.touch()
	}
	v.contact = widget.NewEntry()
	v.contact.SetText(s.contact)
	v.contact.OnChanged = func(string) { u.touch() }
	v.submitBtn = widget.NewButton(t(u.lang, msgSubmit), u.submitIntake)
	v.submitBtn.Importance = widget.HighImportance
	cells := []fyne.CanvasObject{
		widget.NewLabel(t(u.lang, msgRecord)), v.record,
		widget.NewLabel(t(u.lang, msgAppKind)), v.kind,
	}
	var extra []fyne.CanvasObject
	if s.kind == 0 {
		types := make([]string, len(credit.ObjectionTypes))
		for i, ty := range credit.ObjectionTypes {
			zh, en := ty.Label()
			types[i] = pick(u.lang, zh, en)
		}
		v.objType = widget.NewSelect(types, func(string) { u.touch() })
		v.objType.PlaceHolder = t(u.lang, msgChoosePurpose)
		if s.objType >= 0 && s.objType < len(types) {
			v.objType.SetSelectedIndex(s.objType)
		}
		v.statement = widget.NewMultiLineEntry()
		v.statement.Wrapping = fyne.TextWrapWord
		v.statement.SetMinRowsVisible(4)
		v.statement.SetText(s.statement)
		v.statement.OnChanged = func(string) { u.touch() }
		cells = append(cells, widget.NewLabel(t(u.lang, msgObjType)), v.objType,
			widget.NewLabel(t(u.lang, msgStatement)), v.statement)
	} else {
		v.perf = widget.NewMultiLineEntry()
		v.perf.Wrapping = fyne.TextWrapWord
		v.perf.SetMinRowsVisible(4)
		v.perf.SetText(s.perf)
		v.perf.OnChanged = func(string) { u.touch() }
		cells = append(cells, widget.NewLabel(t(u.lang, msgPerformance)), v.perf)
		v.letter = widget.NewLabel(t(u.lang, msgLetter))
		v.letter.Wrapping = fyne.TextWrapWord
		v.committed = widget.NewCheck(t(u.lang, msgCommitted), func(b bool) { u.touch(); s.committed = b })
		v.committed.SetChecked(s.committed)
		v.letterBtn = widget.NewButton(t(u.lang, msgShowLetter), func() {
			u.touch()
			u.saveIntakeInputs()
			s.letterShown = true
			u.render()
		})
		if !s.letterShown {
			v.letter.Hide()
			v.committed.Disable() // the letter is shown in full before it is signed
		}
		v.free = widget.NewLabel(t(u.lang, msgFree))
		extra = append(extra, v.letterBtn, v.letter, v.committed, v.free)
	}
	cells = append(cells, widget.NewLabel(t(u.lang, msgContact)), v.contact)
	objs := []fyne.CanvasObject{v.applicant, container.New(layout.NewFormLayout(), cells...)}
	objs = append(objs, extra...)
	objs = append(objs, container.NewHBox(v.submitBtn))
	return container.NewVBox(objs...)
}

// saveIntakeInputs keeps what was typed across a rebuild.
func (u *UI) saveIntakeInputs() {
	s, v := &u.intake, &u.inTab
	if v.subject != nil {
		s.subject, s.authRef, s.role = v.subject.Text, v.authRef.Text, v.role.SelectedIndex()
	}
	if v.record != nil {
		s.record, s.contact = v.record.SelectedIndex(), v.contact.Text
	}
	if v.objType != nil {
		s.objType, s.statement = v.objType.SelectedIndex(), v.statement.Text
	}
	if v.perf != nil {
		s.perf, s.committed = v.perf.Text, v.committed.Checked
	}
}

// intakeReadCard fills the identifier from the card on the reader.
func (u *UI) intakeReadCard() {
	u.touch()
	u.saveIntakeInputs()
	run(u, u.office.ReadCardForIntake, func(id string) {
		u.intake.subject = id
		u.intake.role = indexOf(credit.ApplicantRoles, credit.ApplicantSelf)
		u.clearMessage()
		u.render()
	})
}

// intakeLookup opens the subject's records for the application.
func (u *UI) intakeLookup() {
	u.touch()
	u.saveIntakeInputs()
	s := u.intake
	role := pickAt(credit.ApplicantRoles, s.role)
	run(u, func(ctx context.Context, cs *app.ClerkSession) (*app.IntakeView, error) {
		return u.office.IntakeLookup(ctx, cs, s.subject, role, s.authRef)
	}, func(view *app.IntakeView) {
		u.clearIntakeWidgets()
		u.intake = intakeState{subject: s.subject, role: s.role, authRef: s.authRef, view: view, record: -1, objType: -1}
		u.clearMessage()
		u.render()
	})
}

// submitIntake files the objection or restoration application.
func (u *UI) submitIntake() {
	u.touch()
	u.saveIntakeInputs()
	s := u.intake
	if s.view == nil {
		return
	}
	recordID := ""
	if s.record >= 0 && s.record < len(s.view.Records) {
		recordID = s.view.Records[s.record].ID
	}
	run(u, func(ctx context.Context, cs *app.ClerkSession) (*intakeReceipt, error) {
		if s.kind == 0 {
			o, err := u.office.FileIntakeObjection(ctx, cs, app.IntakeObjectionForm{RecordID: recordID,
				Type: pickAt(credit.ObjectionTypes, s.objType), Statement: s.statement, Contact: s.contact})
			return &intakeReceipt{objection: &o}, err
		}
		r, err := u.office.FileIntakeRestoration(ctx, cs, app.IntakeRestorationForm{RecordID: recordID,
			Performance: s.perf, Committed: s.committed && s.letterShown, Contact: s.contact})
		return &intakeReceipt{restoration: &r}, err
	}, func(rc *intakeReceipt) {
		u.office.EndIntake(u.cs)
		u.clearIntakeWidgets()
		u.intake = intakeState{role: -1, record: -1, objType: -1, receipt: rc}
		u.clearMessage()
		u.render()
	})
}

// clearIntake empties the form, the receipt and the session's lookup.
func (u *UI) clearIntake() {
	u.touch()
	u.office.EndIntake(u.cs)
	u.clearIntakeWidgets()
	u.intake = intakeState{role: -1, record: -1, objType: -1}
	u.clearMessage()
	u.render()
}

// clearIntakeWidgets blanks every widget that showed the applicant's data.
func (u *UI) clearIntakeWidgets() {
	v := &u.inTab
	for _, e := range []*widget.Entry{v.subject, v.authRef, v.statement, v.contact, v.perf} {
		if e != nil {
			e.SetText("")
		}
	}
	if v.applicant != nil {
		v.applicant.SetText("")
	}
	if v.record != nil {
		v.record.Options = nil
		v.record.ClearSelected()
	}
	for _, l := range append(v.receipt, v.evidence...) {
		l.SetText("")
	}
	*v = intakeTab{}
}

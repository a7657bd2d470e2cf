package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// recordView is the card of one record.
type recordView struct {
	card           *kioskwidget.Card
	details        []*widget.Label
	underObjection *widget.Label
	objectBtn      *kioskwidget.Button // nil where objecting is not offered
	restoring      *widget.Label       // "restoration applied"; nil unless an application is open
	restoreBtn     *kioskwidget.Button // nil where restoration is not offered
	incomplete     *widget.Label       // a serious-list record lacking Art. 36 items; nil otherwise (record_detail.go)
}

// recordsScreen is the holder's own records.
type recordsScreen struct {
	holderName  *widget.Label
	holderID    *widget.Label
	expired     *widget.Label
	dataAsOf    *widget.Label
	noRecords   *widget.Label
	rows        []listRow // the records by category (recordrows.go)
	list        *rowList  // the rows in view
	objections  []*widget.Label
	reprintBtns []*kioskwidget.Button // one per application, in the order of objections (reprint.go)
	inquiries   *rowList              // who looked at my data
	nobody      *widget.Label
	noApps      *widget.Label // no objection or restoration filed
	viewport    *viewport
	finishBtn   *kioskwidget.Button

	reportBtn    *kioskwidget.Button
	reportStatus *widget.Label // the report's print job
	allowance    *widget.Label // free reports used this year
	provisional  *widget.Label // why due dates are marked provisional; nil when none is
}

func (u *UI) buildRecords() fyne.CanvasObject {
	s := u.session
	if s == nil {
		return u.buildHome()
	}
	r := &u.records
	blankRows(r.list) // the rows of the screen this one replaces
	blankRows(r.inquiries)
	*r = recordsScreen{}
	r.holderName = heading(tf(u.lang, msgHolder, s.Card.Name))
	r.holderID = widget.NewLabel(tf(u.lang, msgIDNumber, credit.IDNumber(s.Subject.ID).Masked()))
	r.dataAsOf = u.dataAsOfLabel(s.DataAsOf, s.Stale)
	// The holder and the freshness of the data stay above the scroll.
	header := container.NewVBox(container.NewHBox(r.holderName, r.holderID), r.dataAsOf)
	var items []fyne.CanvasObject
	if s.CardExpired {
		r.expired = widget.NewLabel(t(u.lang, msgCardExpired))
		r.expired.Wrapping = fyne.TextWrapWord
		r.expired.Importance = widget.WarningImportance
		items = append(items, r.expired)
	}
	if s.Empty() {
		r.noRecords = widget.NewLabel(t(u.lang, msgNoRecordsAtAll))
		r.noRecords.Importance = widget.SuccessImportance
		items = append(items, r.noRecords)
	}
	r.rows = u.recordRows(s.Records)
	r.list = u.recordList(r.rows, screenRecords)
	items = append(items, r.list)

	items = append(items, heading(t(u.lang, msgMyObjections)))
	if len(s.Objections) == 0 && len(s.Restorations) == 0 {
		r.noApps = widget.NewLabel(t(u.lang, msgNoApplications))
		r.noApps.Wrapping = fyne.TextWrapWord
		items = append(items, r.noApps)
	}
	for _, o := range s.Objections {
		zh, en := o.Status.Label()
		st := zh
		if u.lang == English {
			st = en
		}
		l := widget.NewLabel(tf(u.lang, msgApplicationNo, o.No) + "  " + st + "  " + tf(u.lang, msgDecisionDue, formatDate(o.DecisionDue)) + u.dueMark(credit.KindObjection, o.ReceivedAt))
		l.Wrapping = fyne.TextWrapWord
		u.flagOverdue(l, credit.KindObjection, o.Status, o.LabelDue, o.DecisionDue) // overdue.go
		r.objections = append(r.objections, l)
		items = append(items, u.applicationRow(l, func() { u.reprintObjection(o) }))
	}

	for _, rs := range s.Restorations {
		zh, en := rs.Status.Label()
		st := zh
		if u.lang == English {
			st = en
		}
		l := widget.NewLabel(t(u.lang, msgKindRestoration) + "  " + tf(u.lang, msgApplicationNo, rs.No) + "  " + st + "  " + tf(u.lang, msgFeedbackDue, formatDate(rs.FeedbackDue)) + u.dueMark(credit.KindRestoration, rs.ReceivedAt))
		l.Wrapping = fyne.TextWrapWord
		u.flagOverdue(l, credit.KindRestoration, rs.Status, rs.AcceptDue, rs.FeedbackDue) // overdue.go
		r.objections = append(r.objections, l)
		items = append(items, u.applicationRow(l, func() { u.reprintRestoration(rs) }))
	}

	if r.provisional = u.anyProvisional(s); r.provisional != nil {
		items = append(items, r.provisional) // provisional.go
	}

	items = append(items, heading(t(u.lang, msgWhoLooked)))
	if len(s.Inquiries) == 0 {
		r.nobody = widget.NewLabel(t(u.lang, msgNobodyLooked))
		items = append(items, r.nobody)
	}
	r.inquiries = u.inquiryList(s.Inquiries)
	items = append(items, r.inquiries)

	r.finishBtn = kioskwidget.NewButton(t(u.lang, msgFinish), u.finish)
	r.finishBtn.Importance = widget.HighImportance
	r.reportBtn = kioskwidget.NewButton(t(u.lang, msgPrintReport), u.printReport)
	r.allowance = widget.NewLabel(u.allowanceText(s))
	r.allowance.Wrapping = fyne.TextWrapWord
	r.reportStatus = widget.NewLabel("")
	r.reportStatus.Wrapping = fyne.TextWrapWord
	u.refreshReportPrint()
	r.viewport = newViewport(container.NewVBox(items...), r.list, r.inquiries)
	u.keepOffset(screenRecords, r.viewport)
	footer := container.NewVBox(r.reportStatus, container.NewBorder(nil, nil, container.NewHBox(
		container.NewGridWrap(fyne.NewSize(240, 72), r.finishBtn),
		container.NewGridWrap(fyne.NewSize(280, 72), r.reportBtn)), nil, r.allowance))
	return container.NewBorder(header, footer, nil, nil, r.viewport.object())
}

// dataAsOfLabel says how fresh the cache is, always visible.
func (u *UI) dataAsOfLabel(asOf time.Time, stale bool) *widget.Label {
	var l *widget.Label
	switch {
	case asOf.IsZero():
		l = widget.NewLabel(t(u.lang, msgNeverSynced))
	case stale:
		l = widget.NewLabel(tf(u.lang, msgStale, formatDateTime(asOf)))
	default:
		l = widget.NewLabel(tf(u.lang, msgDataAsOf, formatDateTime(asOf)))
	}
	if stale {
		l.Importance = widget.WarningImportance
	}
	l.Wrapping = fyne.TextWrapWord
	return l
}

// heading is a section title: larger text, not bold — the kiosk uses one
// text style, so Fyne parses the embedded font once (theme.go).
func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// recordCard shows one record with its source, document, basis and dates:
// the page a tap on its row opens (recordpage.go).
func (u *UI) recordCard(rec credit.Record, objectable bool) *recordView {
	rv := &recordView{}
	add := func(text string) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		rv.details = append(rv.details, l)
	}
	add(tf(u.lang, msgSourceUnit, rec.SourceUnit))
	add(tf(u.lang, msgDocumentNo, rec.DocumentNo))
	add(tf(u.lang, msgLegalBasis, rec.LegalBasis))
	add(tf(u.lang, msgDecisionDate, formatDate(rec.DecisionDate)))
	if rec.PublicityUntil.IsZero() {
		add(t(u.lang, msgNoPublicityEnd))
	} else {
		add(tf(u.lang, msgPublicityUntil, formatDate(rec.PublicityUntil)))
	}
	if zh, en := rec.Tier.Label(); zh != "" {
		tier := zh
		if u.lang == English {
			tier = en
		}
		add(tf(u.lang, msgTier, tier))
	}
	if rec.Content != "" {
		add(rec.Content)
	}
	cells := make([]fyne.CanvasObject, len(rv.details))
	for i, l := range rv.details {
		cells[i] = l
	}
	items := []fyne.CanvasObject{container.NewGridWithColumns(2, cells...)}
	items = append(items, u.recordExtras(rec, rv)...) // Arts. 36, 44 (record_detail.go)
	rv.underObjection = widget.NewLabel(t(u.lang, msgUnderObjection))
	rv.underObjection.Importance = widget.WarningImportance
	actions := container.NewHBox(rv.underObjection)
	if !rec.UnderObjection {
		rv.underObjection.Hide()
		if objectable {
			id := rec.ID
			rv.objectBtn = kioskwidget.NewButton(t(u.lang, msgObject), func() { u.startObjection(id) })
			actions.Add(rv.objectBtn)
		}
	}
	if objectable && rec.Category == credit.CategoryUntrustworthy && u.session != nil {
		if _, ok := u.session.Restoring(rec.ID); ok {
			rv.restoring = widget.NewLabel(t(u.lang, msgRestoring))
			rv.restoring.Importance = widget.WarningImportance
			actions.Add(rv.restoring)
		} else {
			id := rec.ID
			rv.restoreBtn = kioskwidget.NewButton(t(u.lang, msgRestore), func() { u.startRestoration(id) })
			actions.Add(rv.restoreBtn)
		}
	}
	items = append(items, actions)
	rv.card = kioskwidget.NewCard(rec.Title, container.NewVBox(items...))
	return rv
}

// finish ends the session and returns home with every trace cleared.
func (u *UI) finish() {
	u.svc.EndSession(u.session)
	u.session, u.receipt, u.restored = nil, nil, nil
	u.draft, u.rdraft = objectionDraft{}, restorationDraft{}
	u.printing, u.reporting = printState{}, printState{}
	u.clearRecordWidgets()
	u.show(screenHome) // with no session, show stops the idle timer
}

// clearRecordWidgets blanks the holder's widgets before they are dropped,
// so no reference left anywhere still shows the name.
func (u *UI) clearRecordWidgets() {
	r := &u.records
	for _, l := range []*widget.Label{r.holderName, r.holderID, r.dataAsOf, r.expired, r.noRecords, r.nobody, r.noApps, r.allowance, r.reportStatus} {
		if l != nil {
			l.SetText("")
		}
	}
	for _, l := range r.objections {
		l.SetText("")
	}
	blankRows(r.list)
	blankRows(r.inquiries)
	*r = recordsScreen{}
	u.clearRecordPage()
	u.receiptView = receiptScreen{}
	u.form = objectionForm{}
	u.clearWizard()
}

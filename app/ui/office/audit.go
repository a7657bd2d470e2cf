package office

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// The supervisor's audit tab (issue 7; Art. 24, 25, 45): the inquiry log,
// newest first, a page of app.AuditPageSize at a time with previous/next,
// filtered by days, clerk, channel and purpose, beside the hash chain's
// check. Only a supervisor gets the tab; the service refuses a clerk too.

// auditCols is the number of columns of the log table.
const auditCols = 8

// auditWeights share the width: position, time, inquirer, channel,
// subject, purpose, authorisation reference, result.
var auditWeights = [auditCols]float32{0.5, 1.2, 1.1, 1.2, 1.5, 1.9, 1.0, 0.8}

// auditPurposes are the purpose filter's choices after "all".
var auditPurposes = append([]string{credit.PurposeSelf, credit.PurposePublic, credit.PurposeIntake}, func() []string {
	var out []string
	for _, p := range credit.Art25Purposes {
		out = append(out, string(p))
	}
	return out
}()...)

// auditState is the filter as typed and the page last loaded.
type auditState struct {
	query app.AuditQuery
	page  *app.AuditPage
}

// auditTab is the audit tab's widgets.
type auditTab struct {
	from, to, clerk, channel *widget.Entry
	purpose                  *widget.Select
	searchBtn                *widget.Button
	prevBtn, nextBtn         *widget.Button
	pageLabel                *widget.Label
	chain                    *widget.Label // the chain check's result
	empty                    *widget.Label
	rows                     [][auditCols]string // the page's texts, row by row, as the list shows them
	list                     *widget.List        // audit_list.go
	lines                    []*auditLine        // the rows the list has shown
	forget                   func()              // empties the list (audit_list.go)
}

func (u *UI) buildAudit() fyne.CanvasObject {
	a, s := &u.auTab, &u.settings.log
	*a = auditTab{}
	entry := func(text, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(hint)
		e.SetText(text)
		e.OnChanged = func(string) { u.touch() }
		e.OnSubmitted = func(string) { u.searchAudit() }
		return e
	}
	a.from = entry(s.query.From, "2026-11-01")
	a.to = entry(s.query.To, "2026-11-30")
	a.clerk = entry(s.query.Clerk, t(u.lang, msgAuditAll))
	a.channel = entry(s.query.Channel, t(u.lang, msgAuditAll))
	opts := []string{t(u.lang, msgAuditAllPurposes)}
	for _, p := range auditPurposes {
		opts = append(opts, u.purposeText(p))
	}
	a.purpose = widget.NewSelect(opts, nil)
	a.purpose.SetSelectedIndex(indexOf(auditPurposes, s.query.Purpose) + 1)
	a.purpose.OnChanged = func(string) { u.touch() }
	a.searchBtn = widget.NewButton(t(u.lang, msgAuditSearch), u.searchAudit)
	a.searchBtn.Importance = widget.HighImportance
	a.chain = widget.NewLabel(t(u.lang, msgAuditHint))
	a.chain.Wrapping = fyne.TextWrapWord
	u.showAuditResult(a.chain) // settings.go
	labelled := func(m msg, e *widget.Entry) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(t(u.lang, m)), nil, e)
	}
	dates := container.NewGridWithColumns(4, labelled(msgAuditFrom, a.from), labelled(msgAuditTo, a.to),
		labelled(msgAuditStaff, a.clerk), labelled(msgAuditDevice, a.channel))
	bar := container.NewBorder(nil, nil, nil, a.searchBtn, a.purpose)

	cells := []fyne.CanvasObject{}
	for _, h := range [auditCols]msg{msgAuditColNo, msgAuditColTime, msgAuditColInquirer, msgAuditDevice, msgAuditColSubject, msgAuditColPurpose, msgAuditColAuthRef, msgAuditColResult} {
		l := widget.NewLabelWithStyle(t(u.lang, h), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		cells = append(cells, l)
	}
	header := container.New(columnsLayout{weights: auditWeights[:]}, cells...)
	if p := s.page; p != nil {
		for _, e := range p.Entries {
			a.rows = append(a.rows, u.auditRow(e))
		}
	}
	body := u.auditRows() // audit_list.go
	if p := s.page; p != nil && p.Total == 0 {
		a.empty = widget.NewLabel(t(u.lang, msgAuditNone))
		a.empty.Wrapping = fyne.TextWrapWord
		body = container.NewVBox(a.empty)
	}
	a.prevBtn = widget.NewButton(t(u.lang, msgAuditPrev), func() { u.auditPage(-1) })
	a.nextBtn = widget.NewButton(t(u.lang, msgAuditNext), func() { u.auditPage(1) })
	a.pageLabel = widget.NewLabel("")
	if p := s.page; p != nil {
		a.pageLabel.SetText(auditPageText(u.lang, p.Page+1, p.Pages, p.Total))
		if p.Page == 0 {
			a.prevBtn.Disable()
		}
		if p.Page+1 >= p.Pages {
			a.nextBtn.Disable()
		}
	} else {
		a.prevBtn.Disable()
		a.nextBtn.Disable()
	}
	// The pager and the column heads sit above the rows: the list runs
	// to the window's bottom with nothing drawn under it.
	pager := container.NewHBox(a.prevBtn, a.nextBtn, a.pageLabel)
	top := container.NewVBox(dates, bar, a.chain, pager, widget.NewSeparator(), header)
	return container.NewBorder(top, nil, nil, nil, body)
}

// auditRow is the texts of one log entry's cells.
func (u *UI) auditRow(e app.AuditEntry) [auditCols]string {
	pos := "—"
	if e.Position > 0 {
		pos = fmt.Sprint(e.Position)
	}
	who := t(u.lang, msgAuditWhoPublic)
	switch e.Inquirer {
	case credit.InquirerClerk:
		who = tf(u.lang, msgAuditWhoClerk, e.InquirerID)
	case credit.InquirerSelf:
		who = t(u.lang, msgAuditWhoSelf)
	}
	ref := e.AuthRef
	switch {
	case ref == "":
		ref = "—"
	case ref == app.IntakeInPerson && e.Purpose == credit.PurposeIntake:
		ref = t(u.lang, msgAuditInPerson) // the subject's presence is the authorisation
	}
	result := "—" // not recorded (kiosk entries, or logged before counts were kept)
	switch {
	case e.Results == 0:
		result = t(u.lang, msgAuditNotFound)
	case e.Results > 0:
		result = countRecords.in(u.lang, e.Results)
	}
	return [auditCols]string{pos, formatDateTime(e.At), wrapCJK(who), e.Channel, e.Subject, wrapCJK(u.purposeText(e.Purpose)), ref, result}
}

// purposeText is an inquiry purpose in words.
func (u *UI) purposeText(p string) string {
	switch p {
	case credit.PurposeSelf:
		return t(u.lang, msgPurposeSelf)
	case credit.PurposePublic:
		return t(u.lang, msgPurposePublic)
	case credit.PurposeIntake:
		return t(u.lang, msgPurposeIntake)
	}
	zh, en := credit.InquiryPurpose(p).Label()
	return pick(u.lang, zh, en)
}

// saveAuditInputs keeps the typed filter across rebuilds.
func (u *UI) saveAuditInputs() {
	a := &u.auTab
	if a.from == nil {
		return
	}
	q := &u.settings.log.query
	q.From, q.To = strings.TrimSpace(a.from.Text), strings.TrimSpace(a.to.Text)
	q.Clerk, q.Channel = strings.TrimSpace(a.clerk.Text), strings.TrimSpace(a.channel.Text)
	q.Purpose = pickAt(auditPurposes, a.purpose.SelectedIndex()-1)
}

// searchAudit loads the first page of the typed filter.
func (u *UI) searchAudit() {
	u.saveAuditInputs()
	u.settings.log.query.Page = 0
	u.loadAudit()
}

// auditPage moves by delta pages.
func (u *UI) auditPage(delta int) {
	u.saveAuditInputs()
	if p := u.settings.log.page; p != nil {
		u.settings.log.query.Page = max(p.Page+delta, 0)
	}
	u.loadAuditPage(false)
}

// loadAudit reads the page of the current filter and checks the chain
// beside it; a filter the service refuses keeps the page shown.
func (u *UI) loadAudit() { u.loadAuditPage(true) }

// loadAuditPage reads the page of the current filter, and checks the
// whole chain again when verify is set (opening the tab, a new search; not
// when paging, as the check reads every entry).
func (u *UI) loadAuditPage(verify bool) {
	u.touch()
	type loaded struct {
		page  app.AuditPage
		chain *app.AuditResult // nil: not checked this time
	}
	q := u.settings.log.query
	run(u, func(ctx context.Context, cs *app.ClerkSession) (loaded, error) {
		p, err := u.office.AuditLog(ctx, cs, q)
		if err != nil || !verify {
			return loaded{page: p}, err
		}
		res, err := u.office.VerifyAudit(ctx, cs)
		return loaded{p, &res}, err
	}, func(l loaded) {
		u.settings.log.page = &l.page
		if l.chain != nil {
			u.settings.audit = l.chain
		}
		u.settings.log.query.Page = l.page.Page
		u.clearMessage()
		u.render()
	})
}

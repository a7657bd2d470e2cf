package office

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// inquiryRow is one row of the authorised-inquiry record list: the
// record's title, category, decision date and objection state. The list
// binds a few of them again as it scrolls (issue 7: a business with
// thousands of records costs a screenful of rows, not a card each).
type inquiryRow struct {
	title, category, date, objection *widget.Label
	box                              *fyne.Container
}

func newInquiryRow() *inquiryRow {
	r := &inquiryRow{title: widget.NewLabel(""), category: widget.NewLabel(""), date: widget.NewLabel(""), objection: widget.NewLabel("")}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.objection.Importance = widget.WarningImportance
	r.box = container.NewBorder(nil, nil, nil, container.NewHBox(r.category, r.date, r.objection), r.title)
	return r
}

// bind shows rec in the row.
func (r *inquiryRow) bind(lang ui.Lang, rec credit.Record) {
	zh, en := rec.Category.Label()
	objection := ""
	if rec.UnderObjection {
		objection = t(lang, msgUnderObjection)
	}
	r.title.SetText(rec.Title)
	r.category.SetText(pick(lang, zh, en))
	r.date.SetText(formatDate(rec.DecisionDate))
	r.objection.SetText(objection)
	r.box.Refresh() // the texts' widths changed: lay the row out again
}

// blank clears the row's texts: the wipe calls it on every row the list
// made, shown or recycled.
func (r *inquiryRow) blank() {
	for _, l := range r.labels() {
		l.SetText("")
	}
}

func (r *inquiryRow) labels() []*widget.Label {
	return []*widget.Label{r.title, r.category, r.date, r.objection}
}

// flatRecords lists the groups' records in the order shown.
func flatRecords(groups []app.RecordGroup) []credit.Record {
	n := 0
	for _, g := range groups {
		n += len(g.Records)
	}
	out := make([]credit.Record, 0, n)
	for _, g := range groups {
		out = append(out, g.Records...)
	}
	return out
}

// categorySummary is one line with each category and its count, or "no
// records" for an empty one (the headings of the old card view).
func (u *UI) categorySummary(groups []app.RecordGroup) fyne.CanvasObject {
	v := &u.inqTab
	var objs []fyne.CanvasObject
	for _, g := range groups {
		zh, en := g.Category.Label()
		h := widget.NewLabelWithStyle(pick(u.lang, zh, en), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		count := widget.NewLabel(fmt.Sprint(len(g.Records)))
		if len(g.Records) == 0 {
			count.SetText(t(u.lang, msgNoRecords))
		}
		v.headings = append(v.headings, h, count)
		objs = append(objs, h, count)
	}
	return container.NewHBox(objs...)
}

// recordList is the virtual list of the view's records beside the
// selected record's detail. A click, or the arrow keys and Space once the
// list has the focus, shows a record (the office is a desktop app).
func (u *UI) recordList() fyne.CanvasObject {
	v := &u.inqTab
	v.list = widget.NewList(func() int { return len(v.recs) }, func() fyne.CanvasObject {
		r := newInquiryRow()
		v.rows = append(v.rows, r)
		v.rowOf[r.box] = r
		return r.box
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if r := v.rowOf[o]; r != nil && i < len(v.recs) {
			r.bind(u.lang, v.recs[i])
		}
	})
	v.list.OnSelected = func(i widget.ListItemID) {
		u.touch()
		u.inq.selected = i
		u.showRecord(i)
	}
	v.detail = container.NewVBox(widget.NewLabel(t(u.lang, msgSelectRecord)))
	split := container.NewHSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.45
	return split
}

// showRecord shows record i's card in the detail pane; the previous
// card's labels are blanked first.
func (u *UI) showRecord(i int) {
	v := &u.inqTab
	if v.detail == nil || i < 0 || i >= len(v.recs) {
		return
	}
	u.clearDetail()
	v.detail.Objects = []fyne.CanvasObject{u.recordCard(v.recs[i])}
	v.detail.Refresh()
}

// clearDetail blanks the shown record's card and labels.
func (u *UI) clearDetail() {
	v := &u.inqTab
	for _, l := range v.details {
		l.SetText("")
	}
	for _, c := range v.cards {
		c.SetTitle("")
		c.SetContent(nil)
	}
	v.details, v.cards = nil, nil
}

// recordCard shows one record's source, document, basis and dates.
func (u *UI) recordCard(r credit.Record) fyne.CanvasObject {
	v := &u.inqTab
	var cells []fyne.CanvasObject
	add := func(text string) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		v.details = append(v.details, l)
		cells = append(cells, l)
	}
	add(tf(u.lang, msgSourceUnit, r.SourceUnit))
	add(tf(u.lang, msgDocumentNo, r.DocumentNo))
	add(tf(u.lang, msgLegalBasis, r.LegalBasis))
	add(tf(u.lang, msgDecisionDate, formatDate(r.DecisionDate)))
	add(tf(u.lang, msgPublicityUntil, formatDate(r.PublicityUntil)))
	if zh, en := r.Tier.Label(); zh != "" {
		add(tf(u.lang, msgTier, pick(u.lang, zh, en)))
	}
	if r.UnderObjection {
		add(t(u.lang, msgUnderObjection))
		cells[len(cells)-1].(*widget.Label).Importance = widget.WarningImportance
	}
	if r.Content != "" {
		add(r.Content)
	}
	content := fyne.CanvasObject(container.NewGridWithColumns(2, cells...))
	if extras := u.recordExtras(r); len(extras) > 0 {
		content = container.NewVBox(content, container.NewVBox(extras...))
	}
	c := widget.NewCard(r.Title, "", content)
	v.cards = append(v.cards, c)
	return c
}

// recordExtras shows the record's serious-list statement (Art. 36) and
// change history with reason codes (Art. 44) as the kiosk's record detail
// does (ui.RecordExtraLines): missing Art. 36 items as "not stated" with
// an "incomplete" notice, never hidden. The labels join v.details, so
// clearing the session blanks them.
func (u *UI) recordExtras(r credit.Record) []fyne.CanvasObject {
	v := &u.inqTab
	var out []fyne.CanvasObject
	for _, line := range ui.RecordExtraLines(u.lang, r) {
		l := ui.RecordExtraLabel(line)
		v.details = append(v.details, l)
		out = append(out, l)
	}
	return out
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// listRow is one row of a records list: a category heading with its
// count, the "no records" line of an empty category, or a record.
type listRow struct {
	category credit.Category
	heading  string
	empty    string
	rec      *credit.Record
}

// recordRow is the widget of one list row, bound again as the list
// scrolls: a heading, a note, or a record as a full-width button (title,
// and its decision date or "under objection") that opens the record.
type recordRow struct {
	widget.BaseWidget
	head  *widget.Label
	empty *widget.Label
	btn   *kioskwidget.Button
	title *widget.Label
	when  *widget.Label
	rec   *fyne.Container
	line  *fyne.Container // title and date, laid out again on each bind
	id    string          // the record bound; "" for a heading or note
}

func newRecordRow() *recordRow {
	r := &recordRow{head: heading(""), empty: widget.NewLabel(""), btn: kioskwidget.NewButton("", nil), title: widget.NewLabel(""), when: widget.NewLabel("")}
	r.empty.Importance = widget.LowImportance
	r.btn.Alignment = widget.ButtonAlignLeading
	r.line = container.NewBorder(nil, nil, nil, r.when, r.title)
	r.rec = container.NewStack(r.btn, r.line)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws whichever part is shown.
func (r *recordRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.head, r.empty, r.rec))
}

// bind shows row; open is what a tap on a record does. Only the labels
// whose text changes are refreshed (a truncating label measures its text
// again on each refresh).
func (r *recordRow) bind(lang Lang, row listRow, open func(id string)) {
	var head, empty, title, when string
	r.id, r.btn.OnTapped = "", nil
	whenImp := widget.MediumImportance
	if rec := row.rec; rec != nil {
		r.id, title, when = rec.ID, rec.Title, formatDate(rec.DecisionDate)
		if rec.UnderObjection {
			whenImp, when = widget.WarningImportance, t(lang, msgUnderObjection)+"  "+when
		}
		r.btn.OnTapped = func() { open(rec.ID) }
	} else {
		head, empty = row.heading, row.empty
	}
	setText(r.head, head)
	setText(r.empty, empty)
	if r.when.Importance != whenImp {
		r.when.Importance, r.when.Text = whenImp, "" // refreshed below
	}
	setText(r.when, when)
	r.fitTitle(title)
	showIf(r.head, head != "")
	showIf(r.empty, empty != "")
	showIf(r.rec, row.rec != nil)
	if row.rec != nil {
		r.line.Refresh() // the date's width changed: lay the line out again
	}
}

// blank clears every text and the tap, and hides every part: the wipe
// calls it on each row, pooled or live.
func (r *recordRow) blank() {
	r.id = ""
	r.btn.OnTapped, r.btn.OnFocus = nil, nil
	for _, l := range []*widget.Label{r.head, r.empty, r.title, r.when} {
		l.SetText("")
	}
	r.head.Hide()
	r.empty.Hide()
	r.rec.Hide()
}

// fitTitle shows title, ending in an ellipsis only when it is wider than
// the row leaves it: Fyne shapes a truncating label's text again on every
// layout (uncached), a plain one's measure is cached.
func (r *recordRow) fitTitle(title string) {
	r.title.Truncation = fyne.TextTruncateOff
	r.title.Text = title
	th := r.Theme()
	room := r.Size().Width - r.when.MinSize().Width - th.Size(theme.SizeNamePadding) - 2*th.Size(theme.SizeNameInnerPadding)
	if title != "" && fyne.MeasureText(title, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width > room {
		r.title.Truncation = fyne.TextTruncateEllipsis
	}
	r.title.Refresh()
}

// setText changes l's text, refreshing it only when it changed.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// showIf shows or hides o.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// recordRows flattens the groups into rows: each category's heading with
// its count, then its records or the "no records" line.
func (u *UI) recordRows(groups []app.RecordGroup) []listRow {
	n := 0
	for _, g := range groups {
		n += 1 + max(1, len(g.Records))
	}
	rows := make([]listRow, 0, n)
	for _, g := range groups {
		zh, en := g.Category.Label()
		label := zh
		if u.lang == English {
			label = en
		}
		rows = append(rows, listRow{category: g.Category, heading: tf(u.lang, msgGroupCount, label, len(g.Records))})
		if len(g.Records) == 0 {
			rows = append(rows, listRow{category: g.Category, empty: t(u.lang, msgNoRecordsInCategory)})
		}
		for i := range g.Records {
			rows = append(rows, listRow{category: g.Category, rec: &g.Records[i]})
		}
	}
	return rows
}

// recordList is the virtual list of rows; a tap on a record opens it
// (recordpage.go) from the screen from. A record's row that takes the
// keyboard focus is scrolled into view (rowList.focused), so Tab and
// Shift+Tab reach every record.
func (u *UI) recordList(rows []listRow, from screen) *rowList {
	var l *rowList
	l = newRowList(len(rows), func() fyne.CanvasObject { return newRecordRow() }, func(i int, o fyne.CanvasObject) {
		r := o.(*recordRow)
		r.bind(u.lang, rows[i], func(id string) { u.openRecord(id, from) })
		r.btn.OnFocus = func() { l.focused(i, r.btn) }
	})
	return l
}

// blankRows clears every row widget of l, live or pooled.
func blankRows(l *rowList) {
	if l == nil {
		return
	}
	l.each(func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *recordRow:
			x.blank()
		case *widget.Label:
			x.SetText("")
		}
	})
}

// inquiryList is "who looked at my data" as a virtual list: the log of
// inquiries about a holder can be long (every look-up is logged, Arts. 24, 25).
func (u *UI) inquiryList(qs []credit.Inquiry) *rowList {
	return newRowList(len(qs), func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i int, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(u.inquiryText(qs[i]))
	})
}

// inquiryText is one line of "who looked at my data".
func (u *UI) inquiryText(q credit.Inquiry) string {
	m := msgInquiryPublic
	switch q.InquirerKind {
	case credit.InquirerSelf:
		m = msgInquirySelf
	case credit.InquirerClerk:
		m = msgInquiryClerk
	}
	return tf(u.lang, m, formatDateTime(q.At), q.Channel)
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// recordPage is one record opened from a list: its card (source unit,
// document number, legal basis, dates, Arts. 36 and 44 parts, and on the
// holder's own records the Object and Restore buttons) and Back.
type recordPage struct {
	id      string // the record shown
	from    screen // screenRecords or screenOrg: where Back goes
	view    *recordView
	backBtn *kioskwidget.Button
	// offsets are where each list was scrolled when a record was opened,
	// so Back comes to the same place.
	offsets map[screen]fyne.Position
}

// openRecord shows record id, tapped in the list of screen from.
func (u *UI) openRecord(id string, from screen) {
	u.page.id, u.page.from = id, from
	u.show(screenRecord)
}

// findRecord looks id up in groups.
func findRecord(groups []app.RecordGroup, id string) (credit.Record, bool) {
	for _, g := range groups {
		for _, r := range g.Records {
			if r.ID == id {
				return r, true
			}
		}
	}
	return credit.Record{}, false
}

// buildRecordPage shows the opened record from the current data: a record
// withdrawn meanwhile (a sync round) or a session ended shows the list.
func (u *UI) buildRecordPage() fyne.CanvasObject {
	p := &u.page
	p.view, p.backBtn = nil, nil
	var groups []app.RecordGroup
	switch {
	case p.from == screenRecords && u.session != nil:
		groups = u.session.Records
	case p.from == screenOrg && u.org != nil:
		groups = u.org.Records
	default:
		u.screen = screenHome
		return u.buildHome()
	}
	rec, ok := findRecord(groups, p.id)
	if !ok {
		u.screen = p.from
		if p.from == screenOrg {
			return u.buildOrg()
		}
		return u.buildRecords()
	}
	p.view = u.recordCard(rec, p.from == screenRecords)
	from := p.from
	p.backBtn = kioskwidget.NewButton(t(u.lang, msgBack), func() { u.show(from) })
	footer := container.NewHBox(container.NewGridWrap(fyne.NewSize(240, 72), p.backBtn))
	return container.NewBorder(nil, footer, nil, nil, container.NewVScroll(container.NewVBox(p.view.card)))
}

// keepOffset remembers where the list of screen s is scrolled.
func (u *UI) keepOffset(s screen, vp *viewport) {
	if u.page.offsets == nil {
		u.page.offsets = map[screen]fyne.Position{}
	}
	vp.scroll.Offset = u.page.offsets[s]
	vp.onScroll = func(p fyne.Position) { u.page.offsets[s] = p }
}

// clearRecordPage blanks the opened record's texts and forgets it.
func (u *UI) clearRecordPage() {
	if v := u.page.view; v != nil {
		v.card.SetTitle("")
		for _, l := range v.details {
			l.SetText("")
		}
	}
	u.page = recordPage{}
}

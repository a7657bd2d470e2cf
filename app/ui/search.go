package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// searchScreen is the public business search.
type searchScreen struct {
	entry     *widget.Entry
	searchBtn *kioskwidget.Button
	results   []*kioskwidget.Button // one per business found
	noResults *widget.Label
}

// orgScreen is one business's public records.
type orgScreen struct {
	name     *widget.Label
	code     *widget.Label
	dataAsOf *widget.Label
	rows     []listRow // the records by category (recordrows.go)
	list     *rowList  // the rows in view
	viewport *viewport
	backBtn  *kioskwidget.Button
}

func (u *UI) buildSearch() fyne.CanvasObject {
	s := &u.search
	*s = searchScreen{}
	s.entry = widget.NewEntry()
	s.entry.SetPlaceHolder(t(u.lang, msgSearchHint))
	s.entry.SetText(u.query)
	s.entry.OnChanged = u.fontForText
	s.entry.OnSubmitted = func(string) { u.runSearch() }
	s.searchBtn = kioskwidget.NewButton(t(u.lang, msgSearch), u.runSearch)
	s.searchBtn.Importance = widget.HighImportance
	var rows []fyne.CanvasObject
	for _, subj := range u.results {
		id := subj.ID
		b := kioskwidget.NewButton(subj.Name+"  "+subj.ID, func() { u.openOrg(id) })
		b.Alignment = widget.ButtonAlignLeading
		s.results = append(s.results, b)
		rows = append(rows, b)
	}
	if u.searched && len(u.results) == 0 {
		s.noResults = widget.NewLabel(t(u.lang, msgNoResults))
		rows = append(rows, s.noResults)
	}
	list := container.NewVBox(rows...)
	bar := container.NewBorder(nil, nil, nil, s.searchBtn, s.entry)
	return container.NewBorder(bar, nil, nil, nil, container.NewVScroll(list))
}

// runSearch asks the service for businesses matching the entry.
func (u *UI) runSearch() {
	q := u.search.entry.Text
	u.call(func(ctx context.Context) func() {
		found, err := u.svc.SearchOrganisations(ctx, q)
		return func() {
			u.query = q
			if err != nil {
				u.showError(err)
				return
			}
			u.results, u.searched = found, true
			u.show(screenSearch)
		}
	})
}

// openOrg shows one business's records.
func (u *UI) openOrg(id string) {
	u.call(func(ctx context.Context) func() {
		v, err := u.svc.OpenOrganisation(ctx, id)
		return func() {
			if err != nil {
				u.showError(err)
				return
			}
			u.org = v
			delete(u.page.offsets, screenOrg) // another business: from the top
			u.show(screenOrg)
		}
	})
}

func (u *UI) buildOrg() fyne.CanvasObject {
	v := u.org
	if v == nil {
		return u.buildSearch()
	}
	o := &u.orgView
	o.name = heading(v.Subject.Name)
	o.name.SizeName = theme.SizeNameSubHeadingText
	o.code = widget.NewLabel(v.Subject.ID)
	o.dataAsOf = u.dataAsOfLabel(v.DataAsOf, v.Stale)
	o.rows = u.recordRows(v.Records)
	o.list = u.recordList(o.rows, screenOrg)
	o.viewport = newViewport(container.NewVBox(o.list), o.list)
	u.keepOffset(screenOrg, o.viewport)
	o.backBtn = kioskwidget.NewButton(t(u.lang, msgBack), func() {
		u.org = nil
		u.show(screenSearch)
	})
	header := container.NewVBox(container.NewHBox(o.name, o.code), o.dataAsOf)
	footer := container.NewHBox(container.NewGridWrap(fyne.NewSize(240, 72), o.backBtn))
	return container.NewBorder(header, footer, nil, nil, o.viewport.object())
}

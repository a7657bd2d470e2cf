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

// localDaysState is the county's local days off as loaded (settings tab).
type localDaysState struct {
	loaded      bool
	unavailable bool // this office keeps no local days (no such store)
	days        []credit.LocalDayOff
	edits       []credit.CalendarEdit // the change log (supervisors; calendar_edits.go)
	date, name  string                // the form's input, kept across renders
}

// localDaysTab is the local days off section of the settings tab: the
// list for every clerk; the add form and remove buttons for a supervisor
// (domain.md §7.2; the service refuses a clerk too).
type localDaysTab struct {
	rows       []*widget.Label
	removeBtns []*widget.Button
	date, name *widget.Entry
	addBtn     *widget.Button
}

// localDaysFields names the form's fields (for the Art. 18 test).
var localDaysFields = []string{"local_day_date", "local_day_name"}

// buildLocalDays builds the section; nothing when the office keeps no
// local days.
func (u *UI) buildLocalDays() []fyne.CanvasObject {
	s, v := &u.days, &u.daysTab
	*v = localDaysTab{}
	if s.unavailable || !s.loaded {
		return nil
	}
	heading := widget.NewLabelWithStyle(t(u.lang, msgDaysHeading), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	note := widget.NewLabel(t(u.lang, msgDaysNote))
	note.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{widget.NewSeparator(), heading, note}
	if len(s.days) == 0 {
		objs = append(objs, widget.NewLabel(t(u.lang, msgDaysNone)))
	}
	for _, d := range s.days {
		l := widget.NewLabel(d.Date + "  " + d.Name + "  " + tf(u.lang, msgDayAddedBy, d.County, d.AddedBy))
		v.rows = append(v.rows, l)
		row := []fyne.CanvasObject{l}
		if u.cs.IsSupervisor() {
			date := d.Date
			b := widget.NewButton(t(u.lang, msgDayRemove), func() { u.removeLocalDay(date) })
			v.removeBtns = append(v.removeBtns, b)
			row = append(row, b)
		}
		objs = append(objs, container.NewHBox(row...))
	}
	if !u.cs.IsSupervisor() {
		return objs
	}
	v.date = widget.NewEntry()
	v.date.SetPlaceHolder("2027-03-10")
	v.date.SetText(s.date)
	v.date.OnChanged = func(x string) { s.date = x; u.touch() }
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(t(u.lang, msgDayNameHint))
	v.name.SetText(s.name)
	v.name.OnChanged = func(x string) { s.name = x; u.touch() }
	v.addBtn = widget.NewButton(t(u.lang, msgDayAdd), u.addLocalDay)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(t(u.lang, msgDayDate)), v.date,
		widget.NewLabel(t(u.lang, msgDayName)), v.name)
	objs = append(objs, form, container.NewHBox(v.addBtn))
	return append(objs, u.buildCalendarEdits()...) // calendar_edits.go
}

// loadLocalDays reads the local days off into the section.
func (u *UI) loadLocalDays() {
	type loaded struct {
		days  []credit.LocalDayOff
		edits []credit.CalendarEdit
	}
	runOr(u, func(ctx context.Context, cs *app.ClerkSession) (loaded, error) {
		days, err := u.office.LocalDaysOff(ctx, cs)
		if err != nil || !cs.IsSupervisor() {
			return loaded{days: days}, err
		}
		edits, err := u.office.CalendarEdits(ctx, cs)
		return loaded{days, edits}, err
	}, func(l loaded) {
		u.days.days, u.days.edits, u.days.loaded = l.days, l.edits, true
		u.render()
	}, func(err error) {
		if credit.ErrorCode(err) == credit.EUNAVAILABLE {
			u.days.unavailable = true // this office keeps no local days
			return
		}
		u.showError(err)
	})
}

// addLocalDay adds the form's day (supervisors).
func (u *UI) addLocalDay() {
	u.touch()
	date, name := u.days.date, u.days.name
	u.editLocalDays(func(ctx context.Context, cs *app.ClerkSession) error {
		return u.office.AddLocalDayOff(ctx, cs, date, name)
	})
}

// removeLocalDay removes one day (supervisors).
func (u *UI) removeLocalDay(date string) {
	u.touch()
	u.editLocalDays(func(ctx context.Context, cs *app.ClerkSession) error {
		return u.office.RemoveLocalDayOff(ctx, cs, date)
	})
}

// editLocalDays runs an edit, shows its outcome and reloads the list.
func (u *UI) editLocalDays(edit func(ctx context.Context, cs *app.ClerkSession) error) {
	run(u, errOnly(edit), func(struct{}) {
		u.days.date, u.days.name = "", ""
		u.lastErr, u.notice = nil, msgSaved
		u.loadLocalDays()
	})
}

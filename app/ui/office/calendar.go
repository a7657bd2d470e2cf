package office

import (
	"context"
	"fmt"

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

// lt picks the text of the UI's language.
func (u *UI) lt(zh, en string) string { return pick(u.lang, zh, en) }

// buildLocalDays builds the section; nothing when the office keeps no
// local days.
func (u *UI) buildLocalDays() []fyne.CanvasObject {
	s, v := &u.days, &u.daysTab
	*v = localDaysTab{}
	if s.unavailable || !s.loaded {
		return nil
	}
	heading := widget.NewLabelWithStyle(u.lt("本地假日", "Local days off"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	note := widget.NewLabel(u.lt("按县区政府当年通知填写（如开斋节、古尔邦节、藏历新年），计算办理期限时不计入工作日；仅负责人可增删，每次修改均记录操作人。",
		"From the county government's notice for the year (Eid al-Fitr, Eid al-Adha, Tibetan New Year …); they are not counted as working days in deadlines. Only a supervisor may add or remove them, and every change is logged with who made it."))
	note.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{widget.NewSeparator(), heading, note}
	if len(s.days) == 0 {
		objs = append(objs, widget.NewLabel(u.lt("暂无本地假日。", "No local days off.")))
	}
	for _, d := range s.days {
		l := widget.NewLabel(d.Date + "  " + d.Name + "  " + fmt.Sprintf(u.lt("（县区 %s，%s 添加）", "(county %s, added by %s)"), d.County, d.AddedBy))
		v.rows = append(v.rows, l)
		row := []fyne.CanvasObject{l}
		if u.cs.IsSupervisor() {
			date := d.Date
			b := widget.NewButton(u.lt("删除", "Remove"), func() { u.removeLocalDay(date) })
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
	v.name.SetPlaceHolder(u.lt("开斋节", "Eid al-Fitr"))
	v.name.SetText(s.name)
	v.name.OnChanged = func(x string) { s.name = x; u.touch() }
	v.addBtn = widget.NewButton(u.lt("添加本地假日", "Add local day off"), u.addLocalDay)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(u.lt("日期", "Date")), v.date,
		widget.NewLabel(u.lt("名称", "Name")), v.name)
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

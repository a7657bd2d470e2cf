package office

import (
	"cmp"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
)

// maxEditsShown bounds the change log shown on the settings tab.
const maxEditsShown = 20

// buildCalendarEdits is the log of local day-off changes for a
// supervisor: who added or removed which day and when, newest first, so
// the "every change is logged" of the section can be seen.
func (u *UI) buildCalendarEdits() []fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(t(u.lang, msgDayEdits), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{heading}
	if len(u.days.edits) == 0 {
		return append(objs, widget.NewLabel(t(u.lang, msgDayEditsNone)))
	}
	edits := slices.Clone(u.days.edits)
	slices.SortFunc(edits, func(a, b credit.CalendarEdit) int { return cmp.Compare(b.Seq, a.Seq) })
	for _, e := range edits[:min(len(edits), maxEditsShown)] {
		l := widget.NewLabel(u.editText(e))
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	return objs
}

// editText is one change in words.
func (u *UI) editText(e credit.CalendarEdit) string {
	action := t(u.lang, msgDayEditRemoved)
	if e.Action == "add" {
		action = t(u.lang, msgDayEditAdded)
	}
	return tf(u.lang, msgDayEdit, formatDateTime(e.At), e.Clerk, action, e.Date, e.Name, e.County)
}

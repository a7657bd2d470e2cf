package office

import (
	"cmp"
	"fmt"
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
	heading := widget.NewLabelWithStyle(u.lt("修改记录（最近 20 条）", "Changes (latest 20)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objs := []fyne.CanvasObject{heading}
	if len(u.days.edits) == 0 {
		return append(objs, widget.NewLabel(u.lt("暂无修改记录。", "No changes yet.")))
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
	action := u.lt("删除", "removed")
	if e.Action == "add" {
		action = u.lt("添加", "added")
	}
	return fmt.Sprintf(u.lt("%s  %s %s 本地假日 %s %s（县区 %s）", "%s  %s %s the local day off %s %s (county %s)"),
		formatDateTime(e.At), e.Clerk, action, e.Date, e.Name, e.County)
}

package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// dueMark is "（暂定）" / " (provisional)" for the due dates of an
// application whose deadlines reach into a year whose holiday notice is
// not out yet (issue #5; app.Service.DuesProvisional), else "".
func (u *UI) dueMark(kind credit.ApplicationKind, receivedAt time.Time) string {
	if u.svc.DuesProvisional(kind, receivedAt) {
		return t(u.lang, msgProvisional)
	}
	return ""
}

// provisionalNote is the one-line explanation shown under provisional
// due dates.
func (u *UI) provisionalNote() *widget.Label {
	l := widget.NewLabel(t(u.lang, msgProvisionalNote))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// anyProvisional is the explanation for the holder's applications list
// when one of them shows provisional due dates, else nil.
func (u *UI) anyProvisional(s *app.Session) *widget.Label {
	for _, o := range s.Objections {
		if u.dueMark(credit.KindObjection, o.ReceivedAt) != "" {
			return u.provisionalNote()
		}
	}
	for _, r := range s.Restorations {
		if u.dueMark(credit.KindRestoration, r.ReceivedAt) != "" {
			return u.provisionalNote()
		}
	}
	return nil
}

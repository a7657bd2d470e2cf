package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
)

// overdueText is the flag of an application whose deadline the platform
// missed (Art. 46: overdue items are flagged with how many working days
// late), in the kiosk's language. days may be 0 when only days off have
// passed since the deadline.
func overdueText(lang Lang, days int) string {
	if days == 1 {
		return t(lang, msgOverdueOne)
	}
	return tf(lang, msgOverdueN, days)
}

// overdueLabel is the flag as a warning label, or nil when not overdue.
func overdueLabel(lang Lang, overdue bool, days int) *widget.Label {
	if !overdue {
		return nil
	}
	l := widget.NewLabel(overdueText(lang, days)) // the danger colour marks it; one text style (theme.go)
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// flagOverdue appends the overdue flag to an application's line in the
// records list and marks it, when the platform missed the deadline now
// running (app.Service.Overdue).
func (u *UI) flagOverdue(l *widget.Label, kind credit.ApplicationKind, status credit.ApplicationStatus, first, second time.Time) {
	if over, days := u.svc.Overdue(kind, status, first, second); over {
		l.Text += "  " + overdueText(u.lang, days)
		l.Importance = widget.DangerImportance
	}
}

package office

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
)

// loginScreen asks for the staff number and password.
type loginScreen struct {
	heading  *widget.Label
	id       *widget.Entry
	password *widget.Entry
	loginBtn *widget.Button
	savedID  string // kept across a language switch
}

func (u *UI) buildLogin() fyne.CanvasObject {
	l := &u.login
	l.heading = widget.NewLabelWithStyle(t(u.lang, msgLoginTitle), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.heading.SizeName = theme.SizeNameSubHeadingText
	l.id = widget.NewEntry()
	l.id.SetPlaceHolder(t(u.lang, msgStaffIDHint))
	l.id.SetText(l.savedID)
	l.id.OnSubmitted = func(string) { u.focus(l.password) }
	l.password = widget.NewPasswordEntry()
	l.password.OnSubmitted = func(string) { u.submitLogin() }
	l.loginBtn = widget.NewButton(t(u.lang, msgLogin), u.submitLogin)
	l.loginBtn.Importance = widget.HighImportance
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(t(u.lang, msgStaffID)), l.id,
		widget.NewLabel(t(u.lang, msgPassword)), l.password,
	)
	box := container.NewVBox(l.heading, form, l.loginBtn)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(420, box.MinSize().Height), box))
}

// submitLogin checks the credentials; the password entry is emptied
// whatever the outcome.
func (u *UI) submitLogin() {
	id, pw := u.login.id.Text, u.login.password.Text
	u.login.password.SetText("")
	run(u, func(ctx context.Context, _ *app.ClerkSession) (*app.ClerkSession, error) {
		return u.office.Login(ctx, id, pw)
	}, u.startSession)
}

// startSession shows the main screen for a logged-in clerk.
func (u *UI) startSession(cs *app.ClerkSession) {
	u.cs, u.tab = cs, 0
	u.login.savedID = ""
	u.clearMessage()
	u.notice = 0
	u.render()
	u.scheduleIdle()
}

// focus gives the keyboard to o, when the UI is in a window.
func (u *UI) focus(o fyne.Focusable) {
	if u.win != nil {
		u.win.Canvas().Focus(o)
	}
}

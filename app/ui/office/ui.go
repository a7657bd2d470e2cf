// Package office is the county office's Fyne front end for clerks: login,
// authorised inquiry, the queue of open applications and the sync panel.
// Screens call the app.Office service and render what it returns; texts
// come from one translation table (i18n.go); the clerk's session locks
// after five idle minutes and every widget that showed a subject's data is
// cleared.
package office

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// EventSource is where the sync panel's status comes from (an
// *app.Service that the sync loop publishes to).
type EventSource interface {
	Subscribe() (<-chan app.Event, func())
}

// Options tune the UI.
type Options struct {
	Lang   ui.Lang      // initial language; default Chinese
	Logger *slog.Logger // default: discard
	// Events feeds the sync panel; nil shows the status as unknown.
	Events EventSource
	// Go starts a service call off the UI thread (default: a goroutine).
	Go func(func())
	// Do runs f on the UI thread (default fyne.Do).
	Do func(func())
	// AfterFunc schedules f after d and returns its cancel function
	// (default time.AfterFunc). The idle-lock check runs through it.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
}

// UI is the office window's content and state. Widgets live in fields so
// tests can reach them; they are rebuilt when the screen or the language
// changes. State is touched on the UI thread only.
type UI struct {
	office    *app.Office
	log       *slog.Logger
	goFn      func(func())
	do        func(func())
	afterFunc func(time.Duration, func()) func() bool
	ctx       context.Context
	cancel    context.CancelFunc

	eventSrc    EventSource // Options.Events; also the SyncControl when it is one
	events      <-chan app.Event
	unsubscribe func()
	startOnce   sync.Once

	win      fyne.Window // set by Show
	lang     ui.Lang
	cs       *app.ClerkSession // nil: the login screen
	busy     bool
	lastErr  error
	notice   msg // shown when lastErr is nil; 0 = none
	idleStop func() bool
	idleGen  int
	tab      int // selected tab of the main screen

	inq      inquiryState
	intake   intakeState
	queue    queueState
	settings settingsState
	days     localDaysState // calendar.go
	prints   printState     // print.go
	check    checkState     // check.go
	syncInfo *app.SyncInfo

	// Frame.
	root      *fyne.Container
	top       *fyne.Container // the header and the message line
	body      *fyne.Container
	title     *widget.Label
	clerk     *widget.Label
	langBtn   *widget.Button
	logoutBtn *widget.Button
	message   *widget.Label

	login   loginScreen
	tabs    *container.AppTabs
	inqTab  inquiryTab
	inTab   intakeTab
	qTab    queueTab
	syncTab syncTab
	setTab  settingsTab
	daysTab localDaysTab // calendar.go
	prTab   printWidgets // print.go
	chkTab  checkTab     // check.go
	auTab   auditTab     // audit.go
}

// The tabs of the main screen, in order.
const (
	tabInquiry = iota
	tabIntake
	tabQueue
	tabSync
	tabSettings
	tabCheck
	tabAudit // supervisors only (audit.go)
)

// New builds the UI over office. Show starts it.
func New(office *app.Office, opts Options) *UI {
	u := &UI{office: office, log: opts.Logger, goFn: opts.Go, do: opts.Do, afterFunc: opts.AfterFunc, lang: opts.Lang}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	if u.goFn == nil {
		u.goFn = func(f func()) { go f() }
	}
	if u.do == nil {
		u.do = fyne.Do
	}
	if u.afterFunc == nil {
		u.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if u.lang != ui.English {
		u.lang = ui.Chinese
	}
	for _, p := range messageProblems { // a translation file's gap: the other language or the key is shown
		u.log.Warn("office texts", "problem", p)
	}
	u.inq.purpose, u.inq.selected = -1, -1
	u.intake = intakeState{role: -1, record: -1, objType: -1}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if opts.Events != nil {
		u.eventSrc = opts.Events
		u.events, u.unsubscribe = opts.Events.Subscribe()
	}
	u.buildFrame()
	u.render()
	return u
}

// Content is the window content.
func (u *UI) Content() fyne.CanvasObject { return u.root }

// Show sets the office theme, puts the content in w and starts applying
// sync events until Close.
func (u *UI) Show(w fyne.Window) {
	if a := fyne.CurrentApp(); a != nil {
		a.Settings().SetTheme(NewTheme())
	}
	u.win = w
	u.buildFrame()
	u.render()
	w.SetContent(u.root)
	if u.cs == nil {
		u.focus(u.login.id)
	}
	if u.events != nil {
		u.startOnce.Do(func() { go u.eventLoop() })
	}
}

// Close logs the clerk out, stops the idle timer and the event loop and
// cancels calls in flight.
func (u *UI) Close() {
	if u.cs != nil {
		u.office.Logout(u.cs)
		u.cs = nil
	}
	u.stopIdle()
	u.cancel()
	if u.unsubscribe != nil {
		u.unsubscribe()
	}
}

// Lang is the current display language.
func (u *UI) Lang() ui.Lang { return u.lang }

func (u *UI) buildFrame() {
	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.clerk = widget.NewLabel("")
	u.langBtn = widget.NewButton("", u.toggleLang)
	u.logoutBtn = widget.NewButton("", u.logout)
	u.message = widget.NewLabel("")
	u.message.Wrapping = fyne.TextWrapWord
	u.body = container.NewStack()
	// The clerk and the buttons keep their size; the title wraps in
	// what is left.
	u.title.Wrapping = fyne.TextWrapWord
	header := container.NewBorder(nil, nil, nil, container.NewHBox(u.clerk, u.logoutBtn, u.langBtn), u.title)
	u.top = container.NewVBox(header, u.message)
	u.root = container.NewBorder(u.top, nil, nil, nil, u.body)
}

// render rebuilds the frame texts and the current screen.
func (u *UI) render() {
	u.title.SetText(t(u.lang, msgTitle))
	u.langBtn.SetText(t(u.lang, msgLangToggle))
	u.logoutBtn.SetText(t(u.lang, msgLogout))
	var content fyne.CanvasObject
	if u.cs == nil {
		u.clerk.SetText("")
		u.clerk.Hide()
		u.logoutBtn.Hide()
		content = u.buildLogin()
	} else {
		zh, en := u.cs.Clerk.Role.Label()
		u.clerk.SetText(tf(u.lang, msgClerk, u.cs.Clerk.Name, pick(u.lang, zh, en)))
		u.clerk.Show()
		u.logoutBtn.Show()
		content = u.buildMain()
	}
	u.renderMessage()
	u.body.Objects = []fyne.CanvasObject{content}
	u.body.Refresh()
	u.root.Refresh() // lay the header out again around the clerk and Log out
}

// buildMain is the tabbed main screen.
func (u *UI) buildMain() fyne.CanvasObject {
	u.tabs = container.NewAppTabs(
		container.NewTabItem(t(u.lang, msgTabInquiry), u.buildInquiry()),
		container.NewTabItem(t(u.lang, msgTabIntake), u.buildIntake()),
		container.NewTabItem(t(u.lang, msgTabQueue), u.buildQueue()),
		container.NewTabItem(t(u.lang, msgTabSync), u.buildSync()),
		container.NewTabItem(t(u.lang, msgTabSettings), u.buildSettings()),
		container.NewTabItem(tp(u.lang, printMsgTabCheck), u.buildCheck()),
	)
	if u.cs.IsSupervisor() {
		u.tabs.Append(container.NewTabItem(t(u.lang, msgTabAudit), u.buildAudit())) // audit.go
	}
	u.tabs.SelectIndex(u.tab)
	u.tabs.OnSelected = func(*container.TabItem) {
		u.tab = u.tabs.SelectedIndex()
		u.touch()
		switch u.tab {
		case tabQueue:
			u.refreshQueue()
		case tabSettings:
			u.loadSettings()
		case tabAudit:
			u.loadAudit()
		}
	}
	return u.tabs
}

func (u *UI) toggleLang() {
	u.saveInquiryInputs()
	u.saveIntakeInputs()
	u.saveQueueInputs()
	u.saveAuditInputs()
	if u.cs == nil {
		u.login.savedID = u.login.id.Text
	}
	if u.lang == ui.Chinese {
		u.lang = ui.English
	} else {
		u.lang = ui.Chinese
	}
	u.render()
	u.touch()
}

// clearMessage removes any error or notice.
func (u *UI) clearMessage() {
	u.lastErr, u.notice = nil, 0
	u.renderMessage()
}

func (u *UI) renderMessage() {
	switch {
	case u.lastErr != nil:
		u.message.Importance = widget.DangerImportance
		u.message.SetText(pick(u.lang, credit.ErrorMessage(u.lastErr), credit.ErrorMessageEN(u.lastErr)))
	case u.notice != 0:
		u.message.Importance = widget.WarningImportance
		u.message.SetText(t(u.lang, u.notice))
	default:
		u.message.SetText("")
	}
	if u.message.Text == "" {
		u.message.Hide()
	} else {
		u.message.Show()
	}
	// Lay the frame out again: the line appearing, going or wrapping
	// differently moves the screen under it.
	relayout(u.root, u.top)
}

// touch records the clerk's activity with the service.
func (u *UI) touch() {
	if u.cs != nil {
		u.office.Touch(u.cs)
	}
}

// scheduleIdle arms the idle check for when the session would lock if
// nobody touches it; the check re-arms itself while there was activity.
func (u *UI) scheduleIdle() {
	u.stopIdle()
	if u.cs == nil {
		return
	}
	u.idleGen++
	gen, cs := u.idleGen, u.cs
	u.idleStop = u.afterFunc(u.office.IdleRemaining(cs)+time.Second/10, func() {
		u.do(func() {
			if gen != u.idleGen || u.cs != cs {
				return // superseded or logged out
			}
			if u.office.IdleLock(cs) {
				u.lock(msgIdleLocked)
				return
			}
			u.scheduleIdle()
		})
	})
}

func (u *UI) stopIdle() {
	if u.idleStop != nil {
		u.idleStop()
		u.idleStop = nil
	}
	u.idleGen++
}

// lock ends the session and returns to the login screen with every widget
// that showed a subject's data cleared and the state dropped.
func (u *UI) lock(notice msg) {
	if u.cs != nil {
		u.office.Logout(u.cs)
	}
	u.stopIdle()
	u.clearData()
	u.cs, u.tab = nil, 0
	u.lastErr, u.notice = nil, notice
	u.render()
	u.focus(u.login.id)
}

func (u *UI) logout() {
	u.lock(0)
}

// formatDate shows a day in China time.
func formatDate(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	return tm.In(credit.China).Format("2006-01-02")
}

// formatDateTime shows a minute in China time.
func formatDateTime(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	return tm.In(credit.China).Format("2006-01-02 15:04")
}

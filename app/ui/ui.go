// Package ui is the kiosk's Fyne front end: screens built from app
// services, taps routed to service calls, texts from one translation table
// (i18n.go) and a theme with the embedded CJK font. Services never call the
// UI; the UI subscribes to app events and updates widgets inside fyne.Do.
package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// Options tune the UI.
type Options struct {
	Lang   Lang         // initial language; default Chinese
	Logger *slog.Logger // default: discard
	// Go starts a service call off the UI thread. nil starts a goroutine;
	// tests pass func(f func()) { f() } to make each tap complete before
	// the next step.
	Go func(func())
	// Do runs f on the UI thread; fyne.Do when nil. Every widget update
	// triggered from another goroutine (events, call results, timers)
	// goes through it. Tests pass a queue they drain on the test
	// goroutine, which is what fyne.Do does with the main goroutine.
	Do func(func())
	// IdleTimeout ends a card session nobody has touched for this long,
	// so a holder who walks away does not leave their records on screen.
	// 0 means DefaultIdleTimeout; negative disables it.
	IdleTimeout time.Duration
	// AfterFunc schedules f after d and returns a function that cancels
	// it; time.AfterFunc when nil. Tests inject it.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// HighContrast starts with the high-contrast theme; the holder can
	// switch it on every screen.
	HighContrast bool
}

// DefaultIdleTimeout is how long an untouched card session stays open.
const DefaultIdleTimeout = 60 * time.Second

// IdleCountdown is how long before the idle timeout the kiosk starts
// counting down on screen.
const IdleCountdown = 15 * time.Second

// screen is what the body shows.
type screen int

const (
	screenHome screen = iota
	screenRecords
	screenObjection
	screenReceipt
	screenSearch
	screenOrg
	screenRestoration
	screenVerify
	screenStatus
	screenRecord // one record opened from a list (recordpage.go)
)

// UI is the kiosk window's content and state. Widgets live in fields so
// tests can reach them (the fyne calculator pattern); they are rebuilt when
// the screen or the language changes.
type UI struct {
	svc    *app.Service
	log    *slog.Logger
	goFn   func(func())
	do     func(func())
	ctx    context.Context
	cancel context.CancelFunc

	idleAfter time.Duration
	afterFunc func(time.Duration, func()) func() bool
	idleStop  func() bool // cancels the pending idle timer; nil when none
	idleGen   int         // generation of the pending idle timer
	countdown int         // seconds left on the visible countdown; 0 = none

	events      <-chan app.Event
	unsubscribe func()
	startOnce   sync.Once

	// State, touched on the UI thread only.
	lang       Lang
	contrast   bool          // the high-contrast theme is on
	fontRunes  []rune        // rare characters added to the everyday font, sorted (fonttier.go)
	font       fyne.Resource // the font drawn with; nil: the everyday font
	screen     screen
	busy       bool
	lastErr    error
	notice     msg // shown in the message line when lastErr is nil; 0 = none
	session    *app.Session
	org        *app.OrgView
	results    []credit.Subject
	searched   bool
	query      string
	receipt    *credit.Objection
	restored   *credit.Restoration // the restoration receipt shown, if any
	draft      objectionDraft
	rdraft     restorationDraft
	printing   printState // the receipt's print job
	reporting  printState // the report's print job
	verifyText string
	verified   *verifyResult
	statusNo   string
	progress   *progressResult
	syncInfo   *app.SyncInfo

	// Frame.
	root    *fyne.Container
	body    *fyne.Container
	title   *widget.Label
	langBtn *kioskwidget.Button
	homeBtn *kioskwidget.Button
	// contrastBtn switches the high-contrast theme (theme.go).
	contrastBtn *kioskwidget.Button
	message     *widget.Label // errors and notices
	status      *widget.Label // sync status line

	countdownBar   *fyne.Container
	countdownLabel *widget.Label
	continueBtn    *kioskwidget.Button

	home        homeScreen
	records     recordsScreen
	form        objectionForm
	receiptView receiptScreen
	search      searchScreen
	orgView     orgScreen
	wizard      restorationWizard
	verifyView  verifyScreen
	statusView  statusScreen
	page        recordPage

	mu          sync.Mutex // guards lastApplied, for tests
	lastApplied int64      // Seq of the last event applied to the widgets
}

// New builds the UI over svc. It subscribes to svc's events; Show starts
// applying them.
func New(svc *app.Service, opts Options) *UI {
	u := &UI{svc: svc, log: opts.Logger, goFn: opts.Go, do: opts.Do, lang: opts.Lang, idleAfter: opts.IdleTimeout, afterFunc: opts.AfterFunc, contrast: opts.HighContrast}
	if u.do == nil {
		u.do = fyne.Do
	}
	if u.idleAfter == 0 {
		u.idleAfter = DefaultIdleTimeout
	}
	if u.afterFunc == nil {
		u.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	if u.goFn == nil {
		u.goFn = func(f func()) { go f() }
	}
	if u.lang != English {
		u.lang = Chinese
	}
	for _, p := range messageProblems { // a translation file's gap: the other language or the key is shown
		u.log.Warn("kiosk texts", "problem", p)
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.events, u.unsubscribe = svc.Subscribe()
	u.buildFrame()
	u.render()
	return u
}

// Content is the window content.
func (u *UI) Content() fyne.CanvasObject { return u.root }

// Show sets the kiosk theme on the current app, puts the content in w and
// starts applying service events. The event loop ends with Close.
func (u *UI) Show(w fyne.Window) {
	if a := fyne.CurrentApp(); a != nil {
		a.Settings().SetTheme(u.theme())
	}
	// Rebuild under the kiosk theme: some widgets size their text when
	// first refreshed.
	u.buildFrame()
	u.render()
	w.SetContent(u.root)
	u.startOnce.Do(func() { go u.eventLoop() })
}

// Close stops the event loop and cancels service calls in flight. The
// current session, if any, is ended.
func (u *UI) Close() {
	if u.session != nil {
		u.svc.EndSession(u.session)
		u.session = nil
	}
	u.touch() // stops the idle timer
	u.cancel()
	u.unsubscribe()
}

// buildFrame makes the widgets that live across screens.
func (u *UI) buildFrame() {
	u.title = heading("")
	u.langBtn = kioskwidget.NewButton("", u.toggleLang)
	u.homeBtn = kioskwidget.NewButton("", u.goHome)
	u.contrastBtn = kioskwidget.NewButton("", u.toggleContrast)
	u.message = widget.NewLabel("")
	u.message.Wrapping = fyne.TextWrapWord
	u.message.Importance = widget.DangerImportance
	u.status = widget.NewLabel("")
	u.status.Importance = widget.LowImportance
	u.body = container.NewStack()
	u.countdownLabel = widget.NewLabel("")
	u.countdownLabel.Alignment = fyne.TextAlignCenter
	u.countdownLabel.Importance = widget.WarningImportance
	u.continueBtn = kioskwidget.NewButton("", u.touch)
	u.continueBtn.Importance = widget.HighImportance
	u.countdownBar = container.NewHBox(layout.NewSpacer(), u.countdownLabel, u.continueBtn, layout.NewSpacer())
	u.countdownBar.Hide()
	// The buttons keep their size; the title wraps in what is left.
	u.title.Wrapping = fyne.TextWrapWord
	header := container.NewBorder(nil, nil, nil, container.NewHBox(u.homeBtn, u.contrastBtn, u.langBtn), u.title)
	top := container.NewVBox(header, u.countdownBar, u.message)
	u.root = container.NewBorder(top, u.status, nil, nil, u.body)
}

// render rebuilds the frame texts and the current screen in the current
// language.
func (u *UI) render() {
	if s := u.session; s != nil {
		defer s.Hold()() // no other goroutine changes it while it is read
	}
	u.pickFont()
	u.title.SetText(t(u.lang, msgTitle))
	u.langBtn.SetText(t(u.lang, msgLangToggle))
	u.contrastBtn.SetText(t(u.lang, msgContrast))
	u.contrastBtn.Importance = widget.MediumImportance
	if u.contrast {
		u.contrastBtn.Importance = widget.HighImportance
	}
	u.homeBtn.SetText(t(u.lang, msgHome))
	u.renderCountdown()
	hadHome := u.homeBtn.Visible()
	if u.screen == screenSearch || u.screen == screenOrg || u.screen == screenVerify || u.screen == screenStatus || u.screen == screenRecord && u.page.from == screenOrg {
		u.homeBtn.Show()
	} else {
		u.homeBtn.Hide()
	}
	if hadHome != u.homeBtn.Visible() {
		defer u.root.Refresh() // lay the header out again around the button
	}
	u.renderMessage()
	u.status.SetText(u.syncText())
	var content fyne.CanvasObject
	switch u.screen {
	case screenRecords:
		content = u.buildRecords()
	case screenObjection:
		content = u.buildObjectionForm()
	case screenReceipt:
		content = u.buildReceipt()
	case screenSearch:
		content = u.buildSearch()
	case screenOrg:
		content = u.buildOrg()
	case screenRestoration:
		content = u.buildRestoration()
	case screenVerify:
		content = u.buildVerify()
	case screenStatus:
		content = u.buildStatus()
	case screenRecord:
		content = u.buildRecordPage()
	default:
		content = u.buildHome()
	}
	u.body.Objects = []fyne.CanvasObject{content}
	u.body.Refresh()
}

// show switches to s, clearing any message.
func (u *UI) show(s screen) {
	if u.screen == screenObjection && s != screenObjection {
		u.draft = objectionDraft{}
	}
	if u.screen == screenRestoration && s != screenRestoration {
		u.rdraft = restorationDraft{}
	}
	u.screen, u.lastErr, u.notice = s, nil, 0
	u.render()
	u.touch()
}

// toggleLang switches between Chinese and English, keeping what was typed.
func (u *UI) toggleLang() {
	if u.screen == screenObjection {
		u.saveDraft()
	}
	if u.screen == screenRestoration {
		u.saveRestDraft()
	}
	if u.screen == screenVerify && u.verifyView.entry != nil {
		u.verifyText = u.verifyView.entry.Text
	}
	if u.screen == screenStatus && u.statusView.entry != nil {
		u.statusNo = u.statusView.entry.Text
	}
	if u.screen == screenSearch && u.search.entry != nil {
		u.query = u.search.entry.Text
	}
	if u.lang == Chinese {
		u.lang = English
	} else {
		u.lang = Chinese
	}
	u.render()
	u.touch()
}

// Lang is the current display language.
func (u *UI) Lang() Lang { return u.lang }

// showError shows err's user message in the current language.
func (u *UI) showError(err error) {
	u.log.Info("error shown", "code", credit.ErrorCode(err), "screen", int(u.screen))
	u.lastErr, u.notice = err, 0
	u.renderMessage()
}

func (u *UI) renderMessage() {
	u.ensureRunes(rareRunesIn(errorTexts(u.lastErr)))
	switch {
	case u.lastErr != nil && u.lang == English:
		u.message.Importance = widget.DangerImportance
		u.message.SetText(credit.ErrorMessageEN(u.lastErr))
	case u.lastErr != nil:
		u.message.Importance = widget.DangerImportance
		u.message.SetText(credit.ErrorMessage(u.lastErr))
	case u.notice != 0:
		u.message.Importance = widget.MediumImportance
		u.message.SetText(t(u.lang, u.notice))
	default:
		u.message.SetText("")
	}
	was := u.message.Visible()
	if u.message.Text == "" {
		u.message.Hide()
	} else {
		u.message.Show()
	}
	if was != u.message.Visible() && u.root != nil {
		u.root.Refresh() // lay the header out again around the message
	}
}

// call runs work off the UI thread and applies its result on it. Taps are
// ignored while a call is running.
func (u *UI) call(work func(ctx context.Context) func()) {
	Call(u.ctx, &u.busy, u.goFn, u.do, work)
}

// formatDate shows a day in China time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(credit.China).Format("2006-01-02")
}

// formatDateTime shows a minute in China time.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(credit.China).Format("2006-01-02 15:04")
}

package office

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// SyncControl is what the sync panel's "sync now" button and round history
// need; *app.Service implements it. Options.Events is used for it when it
// implements it too.
type SyncControl interface {
	SyncRounds() []app.SyncRound
	SyncNow() error
	CanSyncNow() bool
}

// syncTab shows the sync loop's last report, a "sync now" button and the
// history of recent rounds.
type syncTab struct {
	phase       *widget.Label
	lastSuccess *widget.Label
	hint        *widget.Label // what to do when the loop reported no success yet, or sync is off
	pending     *widget.Label
	progress    *widget.ProgressBarInfinite // moving while a round runs and its total is unknown
	bar         *widget.ProgressBar         // the percentage while a round runs and its total is known
	applied     *widget.Label               // changes applied so far in the running round
	lag         *widget.Label               // the deletion lag the platform reported (red past Art. 48's day)
	nowBtn      *widget.Button
	note        *widget.Label   // "sync requested" until the loop reports
	nowRow      *fyne.Container // the button and the note
	requested   bool
	historyHead *widget.Label
	history     *fyne.Container // one label per round, newest first
	panel, top  *fyne.Container // the whole tab and its lines above the history, laid out again when a line appears or goes
}

func (u *UI) buildSync() fyne.CanvasObject {
	s := &u.syncTab
	s.panel, s.top = nil, nil // set once built
	s.phase = widget.NewLabel("")
	s.phase.Wrapping = fyne.TextWrapWord
	s.lastSuccess = widget.NewLabel("")
	s.hint = widget.NewLabel("")
	s.hint.Wrapping = fyne.TextWrapWord
	s.hint.Importance = widget.WarningImportance
	s.pending = widget.NewLabel("")
	s.progress = widget.NewProgressBarInfinite()
	s.bar = widget.NewProgressBar()
	s.applied = widget.NewLabel("")
	s.lag = widget.NewLabel("")
	s.lag.Wrapping = fyne.TextWrapWord
	s.nowBtn = widget.NewButton(ts(u.lang, syncMsgNow), u.syncNow)
	s.nowBtn.Importance = widget.HighImportance
	s.note = widget.NewLabel(ts(u.lang, syncMsgRequested))
	s.note.Hide()
	s.historyHead = widget.NewLabelWithStyle(ts(u.lang, syncMsgHistory), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.history = container.NewVBox()
	u.renderSync()
	s.nowRow = container.NewHBox(s.nowBtn, s.note)
	s.top = container.NewVBox(s.phase, s.progress, s.bar, s.applied, s.lastSuccess, s.hint, s.pending, s.lag, s.nowRow, s.historyHead)
	s.panel = container.NewBorder(s.top, nil, nil, nil, container.NewVScroll(s.history))
	return s.panel
}

// syncControl is the sync loop's control, if the event source has one.
func (u *UI) syncControl() SyncControl {
	c, _ := u.eventSrc.(SyncControl)
	return c
}

// syncNow asks the sync loop for a round now.
func (u *UI) syncNow() {
	c := u.syncControl()
	if c == nil {
		return
	}
	if err := c.SyncNow(); err != nil {
		u.showError(err)
		return
	}
	u.syncTab.requested = true
	u.syncTab.note.SetText(ts(u.lang, syncMsgRequested))
	u.syncTab.note.Show()
	u.syncTab.nowRow.Refresh() // lay the row out again around the note
	u.syncTab.nowBtn.Disable() // until the loop reports
}

// renderSync writes the last sync report and the round history into the
// panel.
func (u *UI) renderSync() {
	s := &u.syncTab
	if s.phase == nil {
		return
	}
	info := app.SyncInfo{}
	if u.syncInfo != nil {
		info = *u.syncInfo
	}
	var phase string
	s.phase.Importance = widget.MediumImportance
	switch info.Phase {
	case app.SyncIdle:
		phase = t(u.lang, msgSyncIdle)
	case app.SyncRunning:
		phase = t(u.lang, msgSyncRunning)
	case app.SyncOffline:
		phase = t(u.lang, msgSyncOffline)
		s.phase.Importance = widget.WarningImportance
	case app.SyncFailed:
		phase = tf(u.lang, msgSyncFailed, u.syncError(info.Err))
		s.phase.Importance = widget.DangerImportance
	case app.SyncOff:
		phase = t(u.lang, msgSyncOff)
	default:
		phase = t(u.lang, msgSyncUnknown)
	}
	s.phase.SetText(tf(u.lang, msgSyncPhase, phase))
	last := t(u.lang, msgNever)
	if !info.LastSuccess.IsZero() {
		last = formatDateTime(info.LastSuccess)
	}
	s.lastSuccess.SetText(tf(u.lang, msgSyncLastSuccess, last))
	switch {
	case u.syncInfo == nil: // the loop has not reported: nothing known yet
		s.hint.Hide()
	case info.Phase == app.SyncOff:
		s.hint.SetText(t(u.lang, msgSyncOffHint))
		s.hint.Show()
	case info.LastSuccess.IsZero():
		s.hint.SetText(t(u.lang, msgSyncNeverHint))
		s.hint.Show()
	default:
		s.hint.Hide()
	}
	s.pending.SetText(tf(u.lang, msgSyncPending, info.Pending))
	u.renderSyncProgress(info)
	u.renderLag(info.Lag)

	if s.requested {
		s.note.SetText(ts(u.lang, syncMsgRequested))
		s.note.Show()
	} else {
		s.note.Hide()
	}
	if s.nowRow != nil {
		s.nowRow.Refresh()
	}
	c := u.syncControl()
	if c == nil || !c.CanSyncNow() || s.requested || info.Phase == app.SyncRunning || info.Phase == app.SyncOff {
		s.nowBtn.Disable()
	} else {
		s.nowBtn.Enable()
	}
	var rounds []app.SyncRound
	if c != nil {
		rounds = c.SyncRounds()
	}
	s.history.Objects = s.history.Objects[:0]
	if len(rounds) == 0 {
		s.history.Add(widget.NewLabel(ts(u.lang, syncMsgNoRounds)))
	}
	for _, r := range rounds {
		l := widget.NewLabel(u.roundText(r))
		l.Wrapping = fyne.TextWrapWord
		if !r.OK() {
			l.Importance = widget.DangerImportance
		}
		s.history.Add(l)
	}
	s.history.Refresh()
	relayout(s.panel, s.top) // lines shown or hidden move the ones under them
}

// roundText is one line of the history in plain words.
func (u *UI) roundText(r app.SyncRound) string {
	at := formatDateTime(r.Ended)
	switch r.Phase {
	case app.SyncIdle:
		return tsf(u.lang, syncMsgRoundOK, at, countUpdates.in(u.lang, r.Applied), countWaiting.in(u.lang, r.Pending))
	case app.SyncOffline:
		return tsf(u.lang, syncMsgRoundOffline, at, u.syncError(r.Err))
	}
	return tsf(u.lang, syncMsgRoundFailed, at, u.syncError(r.Err))
}

// syncError says what went wrong and what to do, in plain words: the
// error's own message when it has one, and a hint by its kind.
func (u *UI) syncError(err error) string {
	var hint syncMsg
	switch credit.ErrorCode(err) {
	case "":
		return ts(u.lang, syncMsgErrUnknown)
	case credit.EINTERNAL:
		return ts(u.lang, syncMsgErrInternal)
	case credit.EUNAVAILABLE:
		hint = syncMsgHintOffline
	case credit.EUNAUTHORIZED:
		hint = syncMsgHintRefused
	default:
		hint = syncMsgHintOther
	}
	return pick(u.lang, credit.ErrorMessage(err), credit.ErrorMessageEN(err)) + " " + ts(u.lang, hint)
}

// eventLoop applies sync reports until the subscription is cancelled.
func (u *UI) eventLoop() {
	for ev := range u.events {
		if ev.Type != app.SyncStatus {
			continue
		}
		info := ev.Sync
		u.do(func() {
			u.syncInfo = &info
			u.syncTab.requested = false
			u.renderSync()
		})
	}
}

package office

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// syncTab shows the sync loop's last report.
type syncTab struct {
	phase       *widget.Label
	lastSuccess *widget.Label
	pending     *widget.Label
}

func (u *UI) buildSync() fyne.CanvasObject {
	s := &u.syncTab
	s.phase = widget.NewLabel("")
	s.phase.Wrapping = fyne.TextWrapWord
	s.lastSuccess = widget.NewLabel("")
	s.pending = widget.NewLabel("")
	u.renderSync()
	return container.NewVBox(s.phase, s.lastSuccess, s.pending)
}

// renderSync writes the last sync report into the panel.
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
		phase = tf(u.lang, msgSyncFailed, pick(u.lang, credit.ErrorMessage(info.Err), credit.ErrorMessageEN(info.Err)))
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
	s.pending.SetText(tf(u.lang, msgSyncPending, info.Pending))
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
			u.renderSync()
		})
	}
}

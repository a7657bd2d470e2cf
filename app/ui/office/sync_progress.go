package office

import (
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
)

// renderSyncProgress shows a running round's progress: a percentage when
// the platform announced how many changes are to come, a moving bar
// otherwise, and the count applied so far beside it.
func (u *UI) renderSyncProgress(info app.SyncInfo) {
	s := &u.syncTab
	if info.Phase != app.SyncRunning {
		s.progress.Stop()
		s.progress.Hide()
		s.bar.Hide()
		s.applied.Hide()
		return
	}
	if pct := info.Percent(); pct >= 0 {
		s.progress.Stop()
		s.progress.Hide()
		s.bar.SetValue(float64(pct) / 100)
		s.bar.Show()
	} else {
		s.bar.Hide()
		s.progress.Show()
		s.progress.Start()
	}
	s.applied.SetText(countApplied.in(u.lang, info.Applied))
	s.applied.Show()
}

// renderLag shows the deletion lag the platform last reported, in red
// when the oldest deletion has waited past the one day Art. 48 allows.
func (u *UI) renderLag(l app.DeletionLag) {
	s := &u.syncTab
	s.lag.Importance = widget.MediumImportance
	switch {
	case !l.Known:
		s.lag.SetText(ts(u.lang, syncMsgLagUnknown))
		return
	case l.Waiting == 0:
		s.lag.SetText(ts(u.lang, syncMsgLagNone))
		return
	}
	text := tsf(u.lang, syncMsgLagWaiting, l.Waiting, int(l.Oldest/time.Hour))
	if l.Waiting == 1 {
		text = tsf(u.lang, syncMsgLagWaitingOne, int(l.Oldest/time.Hour))
	}
	if l.Overdue() {
		text += ts(u.lang, syncMsgLagOverdue)
		s.lag.Importance = widget.DangerImportance
	}
	s.lag.SetText(text)
}

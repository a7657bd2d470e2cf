package ui

import (
	"strconv"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// eventLoop applies events until the subscription is cancelled.
func (u *UI) eventLoop() {
	for ev := range u.events {
		ev := ev
		switch ev.Type {
		case app.SyncStatus:
			u.do(func() {
				info := ev.Sync
				u.syncInfo = &info
				text := u.syncText()
				u.fontForText(text)
				u.status.SetText(text)
				u.applied(ev.Seq)
			})
		case app.CardRead:
			// A card placed on the reader (the card watch) opens the
			// holder's records from any screen without a session.
			u.do(func() {
				u.adopt(ev.Session)
				u.applied(ev.Seq)
			})
		case app.SessionUpdated:
			// A sync round changed the holder's data: show the reloaded
			// session (withdrawn records disappear at once). No touch():
			// a sync is not the holder's activity.
			u.do(func() {
				if u.session != nil && u.session == ev.Previous {
					u.session = ev.Session
					if u.screen == screenRecords || u.screen == screenRecord && u.page.from == screenRecords {
						u.render()
					}
				}
				u.applied(ev.Seq)
			})
		case app.CardRemoved:
			// The holder took their card off: wipe as Finish does.
			u.do(func() {
				if u.session != nil && (u.session == ev.Session || u.session.Ended()) {
					u.finish()
					u.notice = msgCardRemoved
					u.renderMessage()
				}
				u.applied(ev.Seq)
			})
		case app.Error:
			u.do(func() {
				if u.screen == screenHome && !u.busy {
					u.showError(ev.Err)
				}
				u.applied(ev.Seq)
			})
		}
	}
}

// adopt shows a session opened by the card watch.
func (u *UI) adopt(sess *app.Session) {
	if sess == nil || u.session == sess || u.session != nil || u.busy || sess.Ended() {
		return // already shown, another holder's session, a tap in flight, or ended meanwhile
	}
	u.session = sess
	u.show(screenRecords)
}

// applied notes the Seq of the last event applied to the widgets.
func (u *UI) applied(seq int64) {
	u.mu.Lock()
	u.lastApplied = seq
	u.mu.Unlock()
}

// appliedSeq is the Seq of the last event on screen (for tests).
func (u *UI) appliedSeq() int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.lastApplied
}

// syncText is the status line.
func (u *UI) syncText() string {
	if u.syncInfo == nil {
		return tf(u.lang, msgStatus, t(u.lang, msgSyncUnknown))
	}
	s := u.syncInfo
	var text string
	switch s.Phase {
	case app.SyncRunning:
		text = t(u.lang, msgSyncRunning)
		if s.Applied > 0 {
			text = tf(u.lang, msgSyncRunningN, s.Applied)
		}
		if p := s.Percent(); p >= 0 { // the platform announced the total
			text += " " + strconv.Itoa(p) + "%"
		}
	case app.SyncOffline:
		text = t(u.lang, msgSyncOffline)
	case app.SyncOff:
		text = t(u.lang, msgSyncOff)
	case app.SyncFailed:
		e := credit.ErrorMessage(s.Err)
		if u.lang == English {
			e = credit.ErrorMessageEN(s.Err)
		}
		text = tf(u.lang, msgSyncFailed, e)
	default:
		if s.LastSuccess.IsZero() {
			text = t(u.lang, msgSyncUnknown)
		} else {
			text = tf(u.lang, msgSyncIdle, formatDateTime(s.LastSuccess))
		}
	}
	if s.Pending > 0 {
		text += tf(u.lang, msgSyncPending, s.Pending)
	}
	return tf(u.lang, msgStatus, text)
}

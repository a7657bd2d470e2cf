package ui

import "time"

// touch is the holder's activity (a tap, typing): it stops a running
// countdown and restarts the idle timer while a card session is open.
// After IdleTimeout-IdleCountdown untouched, a countdown shows; when it
// reaches zero the session ends.
func (u *UI) touch() {
	if u.idleStop != nil {
		u.idleStop()
		u.idleStop = nil
	}
	u.idleGen++ // a timer already firing is stale from now on
	if u.countdown > 0 {
		u.countdown = 0
		u.renderCountdown()
	}
	if u.session == nil || u.idleAfter < 0 {
		return
	}
	warn := min(IdleCountdown, u.idleAfter)
	u.schedule(u.idleAfter-warn, func() { u.countDown(int(warn / time.Second)) })
}

// schedule runs f on the UI thread after d, unless touched or finished
// meanwhile.
func (u *UI) schedule(d time.Duration, f func()) {
	u.idleGen++
	gen := u.idleGen
	u.idleStop = u.afterFunc(d, func() {
		u.do(func() {
			if gen != u.idleGen || u.session == nil {
				return // touched since, or already finished
			}
			f()
		})
	})
}

// countDown shows n seconds left and ticks once a second.
func (u *UI) countDown(n int) {
	if n <= 0 {
		u.countdown = 0
		u.finish()
		u.notice = msgIdleEnded
		u.renderMessage()
		return
	}
	u.countdown = n
	u.renderCountdown()
	u.schedule(time.Second, func() { u.countDown(n - 1) })
}

// renderCountdown shows or hides the countdown bar.
func (u *UI) renderCountdown() {
	if u.countdownBar == nil {
		return
	}
	if u.countdown <= 0 {
		u.countdownLabel.SetText("")
		if u.countdownBar.Visible() {
			u.countdownBar.Hide()
			u.root.Refresh() // lay the frame out without the bar
		}
		return
	}
	u.countdownLabel.SetText(tf(u.lang, msgCountdown, u.countdown))
	u.continueBtn.SetText(t(u.lang, msgContinue))
	if !u.countdownBar.Visible() {
		u.countdownBar.Show()
		u.root.Refresh() // make room for the bar
	}
}

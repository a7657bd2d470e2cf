package ui

import "context"

// Call runs work off the UI thread (through goFn) and applies the
// function it returns on the UI thread (through do). *busy, which only the
// UI thread touches, is set while a call runs; a Call made meanwhile is
// ignored, so taps during a call do nothing. The kiosk and the office
// screens both route their service calls through it.
func Call(ctx context.Context, busy *bool, goFn, do func(func()), work func(ctx context.Context) func()) {
	if *busy {
		return
	}
	*busy = true
	goFn(func() {
		apply := work(ctx)
		do(func() {
			*busy = false
			apply()
		})
	})
}

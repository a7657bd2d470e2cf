package office

import (
	"context"
	"errors"
	"regexp"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// Every service call of the office screens goes through run: the call
// runs off the UI thread for the clerk's session at the time of the tap,
// and its outcome is applied on the UI thread in one of three ways.

// run calls op for the current session off the UI thread and applies the
// outcome on it: the answer is dropped when the session changed
// meanwhile (locked or logged out); an error from an ended session
// returns to the lock screen; any other error is shown in the current
// language (showError); otherwise done gets the result. Clicks are
// ignored while a call is running (call).
func run[T any](u *UI, op func(ctx context.Context, cs *app.ClerkSession) (T, error), done func(T)) {
	runOr(u, op, done, u.showError)
}

// runOr is run with failed in place of showError for the errors that are
// not a locked session.
func runOr[T any](u *UI, op func(ctx context.Context, cs *app.ClerkSession) (T, error), done func(T), failed func(error)) {
	cs := u.cs
	u.call(func(ctx context.Context) func() {
		v, err := op(ctx, cs)
		return func() {
			if u.cs != cs || u.handleLocked(cs, err) {
				return // locked or logged out meanwhile: drop the answer
			}
			if err != nil {
				failed(err)
				return
			}
			done(v)
		}
	})
}

// errOnly adapts a call that returns only an error to run.
func errOnly(op func(ctx context.Context, cs *app.ClerkSession) error) func(context.Context, *app.ClerkSession) (struct{}, error) {
	return func(ctx context.Context, cs *app.ClerkSession) (struct{}, error) {
		return struct{}{}, op(ctx, cs)
	}
}

// call runs work off the UI thread and applies its result on it. Clicks
// are ignored while a call is running.
func (u *UI) call(work func(ctx context.Context) func()) {
	ui.Call(u.ctx, &u.busy, u.goFn, u.do, work)
}

// handleLocked returns to the login screen when err came from an ended
// session, and reports whether it did.
func (u *UI) handleLocked(cs *app.ClerkSession, err error) bool {
	if err != nil && cs != nil && credit.ErrorCode(err) == credit.EUNAUTHORIZED && cs.Ended() {
		u.lock(msgIdleLocked)
		return true
	}
	return false
}

// showError shows err's user message in the current language: a
// *credit.Error's own words, any other error as a plain "something went
// wrong, try again" (its chain goes to the log only).
func (u *UI) showError(err error) {
	var ce *credit.Error
	if !errors.As(err, &ce) {
		u.log.Error("office call failed", "err", maskIDs(err.Error()))
		err = errInternal
	} else {
		u.log.Info("error shown", "code", ce.Code)
	}
	u.lastErr, u.notice = err, 0
	u.renderMessage()
}

// idLike is an 18-character identifier (resident ID number or unified
// social credit code) inside an error's text.
var idLike = regexp.MustCompile(`[0-9][0-9A-Z]{16}[0-9A-Z]`)

// maskIDs masks every identifier in s, so an error chain that names a
// subject reaches the log without the number.
func maskIDs(s string) string {
	return idLike.ReplaceAllStringFunc(s, func(id string) string { return credit.IDNumber(id).Masked() })
}

// errInternal is what the clerk reads for an error that is not a
// *credit.Error: the kiosk's "ask a member of staff" does not help the
// staff.
var errInternal = credit.Errorf(credit.EINTERNAL, t(ui.Chinese, msgErrInternal), t(ui.English, msgErrInternal))

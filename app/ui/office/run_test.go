package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// TestRunOutcomes drives the one helper every office service call goes
// through: a result reaches done; an error from an ended session returns
// to the lock screen; a *credit.Error shows its own words in the current
// language; any other error shows a plain message and goes to the log
// with its chain; an answer for a session that ended meanwhile is dropped.
func TestRunOutcomes(t *testing.T) {
	plain := errors.New("disk I/O error reading " + apptest.PersonID)
	refused := credit.Errorf(credit.ECONFLICT, "该记录已有未办结的异议。", "This record already has an open objection.")
	tests := []struct {
		name     string
		lang     ui.Lang
		err      error
		endFirst bool // the session ends before the answer arrives
		wantDone bool
		wantMsg  string // the message line; "" none
		wantLock bool   // back on the login screen
		wantLog  string // in the log; "" nothing checked
		noLog    string // never in the log
	}{
		{name: "result", lang: ui.Chinese, wantDone: true},
		{name: "credit error zh", lang: ui.Chinese, err: refused, wantMsg: "该记录已有未办结的异议。", wantLog: "code=conflict"},
		{name: "credit error en", lang: ui.English, err: refused, wantMsg: "This record already has an open objection."},
		{name: "wrapped credit error", lang: ui.English, err: errOp("file objection", refused), wantMsg: "This record already has an open objection."},
		{name: "other error zh", lang: ui.Chinese, err: errOp("save settings", plain), wantMsg: "系统内部错误，操作未完成，请重试；如仍失败请联系技术支持。", wantLog: "save settings: disk I/O error reading 6201**********123X", noLog: apptest.PersonID},
		{name: "other error en", lang: ui.English, err: plain, wantMsg: "Something went wrong and the action was not completed. Please try again; if it keeps failing, call technical support.", wantLog: "disk I/O error", noLog: apptest.PersonID},
		{name: "locked session", lang: ui.Chinese, err: credit.Errorf(credit.EUNAUTHORIZED, "登录已失效，请重新登录。", "You are logged out. Please log in again."), endFirst: true, wantLock: true, wantMsg: "超过5分钟无操作，已自动锁定。请重新登录。"},
		{name: "refused, session alive", lang: ui.Chinese, err: credit.Errorf(credit.EUNAUTHORIZED, "此操作仅限负责人。", "Only a supervisor may do this."), wantMsg: "此操作仅限负责人。"},
	}
	d := newDesk(t, ui.Chinese) // one desk: logged in again after a lock
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			d.ui.log = slog.New(slog.NewTextHandler(&logged, nil))
			if d.ui.cs == nil {
				d.logIn(t, "C001", clerkPassword)
			}
			if d.ui.Lang() != tc.lang {
				test.Tap(d.ui.langBtn)
			}
			d.ui.clearMessage()
			cs := d.ui.cs
			if cs == nil {
				t.Fatalf("login: %q", d.ui.message.Text)
			}
			var gotCS *app.ClerkSession
			done := false
			run(d.ui, func(ctx context.Context, c *app.ClerkSession) (int, error) {
				gotCS = c
				if tc.endFirst {
					d.office.Logout(c)
				}
				if ctx.Err() != nil {
					t.Error("the call's context is already cancelled")
				}
				return 7, tc.err
			}, func(v int) {
				done = v == 7
			})
			d.pump()
			if gotCS != cs {
				t.Error("op did not get the session of the tap")
			}
			if done != tc.wantDone {
				t.Errorf("done called %v, want %v", done, tc.wantDone)
			}
			if locked := d.ui.cs == nil; locked != tc.wantLock {
				t.Errorf("locked %v, want %v", locked, tc.wantLock)
			}
			if tc.wantLock && (d.ui.login.id == nil || !shows(d.w, pick(tc.lang, "工作人员登录", "Staff login"))) {
				t.Error("not on the login screen")
			}
			if got := msgText(d.ui.message); got != tc.wantMsg {
				t.Errorf("message %q, want %q", got, tc.wantMsg)
			}
			if tc.wantMsg != "" && !tc.wantLock && d.ui.message.Importance != widget.DangerImportance {
				t.Error("the error is not shown in red")
			}
			if tc.wantLog != "" && !strings.Contains(logged.String(), tc.wantLog) {
				t.Errorf("log %q lacks %q", logged.String(), tc.wantLog)
			}
			if tc.noLog != "" && strings.Contains(logged.String(), tc.noLog) {
				t.Errorf("log names %q: %s", tc.noLog, logged.String())
			}
			if d.ui.busy {
				t.Error("still busy after the answer")
			}
		})
	}
}

// TestRunDropsStaleAnswer: the answer of a call whose session ended (the
// clerk logged out) while it ran changes nothing on the next screen.
func TestRunDropsStaleAnswer(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	goFn := d.ui.goFn
	for _, err := range []error{nil, errors.New("late failure")} {
		d.ui.goFn = goFn
		d.logIn(t, "C001", clerkPassword)
		var answer func()
		d.ui.goFn = func(f func()) { answer = f } // hold the call
		called := false
		run(d.ui, func(context.Context, *app.ClerkSession) (string, error) { return apptest.PersonName, err },
			func(string) { called = true })
		if !d.ui.busy || answer == nil {
			t.Fatal("the call did not start")
		}
		d.ui.logout()
		answer()
		d.pump()
		if called || d.ui.message.Visible() || shows(d.w, apptest.PersonName) {
			t.Errorf("err %v: a stale answer reached the login screen (done %v, message %q)", err, called, d.ui.message.Text)
		}
	}
}

// errOp wraps err with the operation, as the services do.
func errOp(op string, err error) error { return fmt.Errorf("%s: %w", op, err) }

// msgText is the message line's text, "" when hidden.
func msgText(l *widget.Label) string {
	if !l.Visible() {
		return ""
	}
	return l.Text
}

package office

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// TestSyncNowAndHistory: the button wakes the sync loop once and waits for
// its report; finished rounds are listed newest first, failures in plain
// words with what to do, in both languages.
func TestSyncNowAndHistory(t *testing.T) {
	offline := credit.Errorf(credit.EUNAVAILABLE, "无法连接平台。", "The platform cannot be reached.")
	refused := credit.Errorf(credit.EUNAUTHORIZED, "平台拒绝了本终端的签名。", "The platform refused this terminal's signature.")
	tests := []struct {
		lang       ui.Lang
		empty      string
		rounds     []string // newest first
		nowEnabled bool
	}{
		{ui.Chinese, "本次启动以来尚未完成同步。", []string{
			"2026-11-27 10:00　成功：更新 12 条，待上传 0 件",
			"2026-11-27 10:00　失败：本机出错，详情已记入日志。",
			"2026-11-27 10:00　失败：平台拒绝了本终端的签名。 平台不接受本机，请联系系统管理员重新登记本机。",
			"2026-11-27 10:00　未连上平台：无法连接平台。 请检查网络连接；本机会自动重试",
		}, true},
		{ui.English, "No sync round has finished since the program started.", []string{
			"2026-11-27 10:00  OK: 12 updates received, 0 applications waiting",
			"2026-11-27 10:00  Failed: Something went wrong on this computer; the details are in the log.",
			"2026-11-27 10:00  Failed: The platform refused this terminal's signature. The platform does not accept this computer; ask the system administrator to enrol it again.",
			"2026-11-27 10:00  Could not reach the platform: The platform cannot be reached. Check the network connection; it will retry by itself",
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.empty[:6], func(t *testing.T) {
			d := newDesk(t, tt.lang)
			d.logIn(t, "C001", clerkPassword)
			d.ui.tabs.SelectIndex(tabSync)
			s := &d.ui.syncTab
			if len(s.history.Objects) != 1 || !shows(d.w, tt.empty) {
				t.Fatalf("history before any round: %q", texts(d.w))
			}
			if s.nowBtn.Disabled() != !tt.nowEnabled {
				t.Errorf("sync now disabled = %v", s.nowBtn.Disabled())
			}
			test.Tap(s.nowBtn)
			test.Tap(s.nowBtn) // disabled now: no second wake
			if d.wakes != 1 || !s.nowBtn.Disabled() || !s.note.Visible() {
				t.Errorf("after tapping: %d wakes, disabled %v, note %v", d.wakes, s.nowBtn.Disabled(), s.note.Visible())
			}
			seq := []app.SyncInfo{
				{Phase: app.SyncRunning}, {Phase: app.SyncOffline, Err: offline},
				{Phase: app.SyncRunning}, {Phase: app.SyncFailed, Err: refused},
				{Phase: app.SyncRunning}, {Phase: app.SyncFailed, Err: errors.New("database is locked")},
				{Phase: app.SyncRunning}, {Phase: app.SyncIdle, Applied: 12, LastSuccess: d.now},
			}
			for _, info := range seq {
				d.svc.PublishSync(info)
			}
			d.waitFor(t, func() bool { return d.ui.syncInfo != nil && d.ui.syncInfo.Phase == app.SyncIdle })
			if s.nowBtn.Disabled() || s.note.Visible() {
				t.Errorf("after the report: disabled %v, note %v", s.nowBtn.Disabled(), s.note.Visible())
			}
			if len(s.history.Objects) != len(tt.rounds) {
				t.Fatalf("%d history lines, want %d: %q", len(s.history.Objects), len(tt.rounds), texts(d.w))
			}
			for i, want := range tt.rounds {
				if !shows(d.w, want) {
					t.Errorf("round %d %q not shown in %q", i, want, texts(d.w))
				}
			}
			if s.progress.Visible() || s.applied.Visible() {
				t.Error("progress shown between rounds")
			}
			// Running: the bar moves with the count so far, and no
			// sync-now while a round is on.
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncRunning, Applied: 5000})
			d.waitFor(t, func() bool { return d.ui.syncInfo.Phase == app.SyncRunning })
			if !s.nowBtn.Disabled() || !s.progress.Visible() || !s.progress.Running() || !strings.Contains(s.applied.Text, "5000") {
				t.Errorf("during a round: sync now disabled %v, bar %v/%v, %q", s.nowBtn.Disabled(), s.progress.Visible(), s.progress.Running(), s.applied.Text)
			}
			d.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 7000})
			d.waitFor(t, func() bool { return d.ui.syncInfo.Phase == app.SyncIdle })
			if s.progress.Visible() || s.progress.Running() {
				t.Error("the bar still moves after the round")
			}
		})
	}
}

// TestSyncNowWithoutLoop: with no sync loop the button stays disabled.
func TestSyncNowWithoutLoop(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	mem := d.mem
	d.ui.Close()
	d.svc = app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Now: func() time.Time { return d.now }})
	d.ui = New(d.office, Options{Lang: ui.Chinese, Events: d.svc, Go: func(f func()) { f(); d.pump() }, Do: func(f func()) { d.q <- f }, AfterFunc: d.timers.after})
	d.ui.Show(d.w)
	defer d.ui.Close()
	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSync)
	test.Tap(d.ui.syncTab.nowBtn)
	if !d.ui.syncTab.nowBtn.Disabled() || d.wakes != 0 {
		t.Errorf("sync now without a loop: disabled %v, %d wakes", d.ui.syncTab.nowBtn.Disabled(), d.wakes)
	}
}

func TestSyncMessagesComplete(t *testing.T) {
	for m := syncMsg(0); m < syncMsgCount; m++ {
		if syncMessages[m][0] == "" || syncMessages[m][1] == "" {
			t.Errorf("sync message %d lacks a translation: %q", m, syncMessages[m])
		}
	}
}

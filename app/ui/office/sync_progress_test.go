package office

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// TestSyncPanelLagAndPercent: the panel shows the deletion lag the
// platform reported — none, N waiting with the oldest's age, in red past
// Art. 48's one day — and, during a round, a percentage bar when the total
// is known, the moving bar when it is not.
func TestSyncPanelLagAndPercent(t *testing.T) {
	tests := []struct {
		name    string
		lang    ui.Lang
		info    app.SyncInfo
		lag     string
		red     bool
		percent float64 // -1: the moving bar, 0: no bar (idle)
	}{
		{"unknown zh", ui.Chinese, app.SyncInfo{Phase: app.SyncIdle}, "删除延迟：平台尚未报告", false, 0},
		{"none en", ui.English, app.SyncInfo{Phase: app.SyncIdle, Lag: app.DeletionLag{Known: true}}, "Deletion lag: none", false, 0},
		{"waiting within the day en", ui.English,
			app.SyncInfo{Phase: app.SyncRunning, Applied: 40, Done: 40, Total: 160, Lag: app.DeletionLag{Known: true, Waiting: 3, Oldest: 5*time.Hour + 20*time.Minute}},
			"Deletion lag: 3 deletions waiting, oldest 5 h", false, 0.25},
		{"overdue zh", ui.Chinese,
			app.SyncInfo{Phase: app.SyncRunning, Applied: 7, Lag: app.DeletionLag{Known: true, Waiting: 2, Oldest: 30 * time.Hour}},
			"删除延迟：2 条删除待确认，最早已等 30 小时（超过第四十八条规定的一日期限）", true, -1},
		{"overdue en, almost done", ui.English,
			app.SyncInfo{Phase: app.SyncRunning, Done: 999, Total: 1000, Lag: app.DeletionLag{Known: true, Waiting: 1, Oldest: 25 * time.Hour}},
			"Deletion lag: 1 deletion waiting, for 25 h (past the one-day limit of Art. 48)", true, 0.99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t, tt.lang)
			d.logIn(t, "C001", clerkPassword)
			d.ui.tabs.SelectIndex(tabSync)
			s := &d.ui.syncTab
			d.svc.PublishSync(tt.info)
			d.waitFor(t, func() bool { return d.ui.syncInfo != nil && d.ui.syncInfo.Phase == tt.info.Phase })
			if !shows(d.w, tt.lag) || s.lag.Text != tt.lag {
				t.Errorf("lag %q, want %q", s.lag.Text, tt.lag)
			}
			if red := s.lag.Importance == widget.DangerImportance; red != tt.red {
				t.Errorf("lag in red %v, want %v", red, tt.red)
			}
			switch {
			case tt.percent > 0:
				if !s.bar.Visible() || s.bar.Value != tt.percent || s.progress.Visible() {
					t.Errorf("bar %v at %v, moving bar %v; want %v", s.bar.Visible(), s.bar.Value, s.progress.Visible(), tt.percent)
				}
			case tt.percent < 0:
				if s.bar.Visible() || !s.progress.Visible() || !s.progress.Running() {
					t.Errorf("total unknown: bar %v, moving bar %v", s.bar.Visible(), s.progress.Visible())
				}
			default:
				if s.bar.Visible() || s.progress.Visible() {
					t.Errorf("between rounds: bar %v, moving bar %v", s.bar.Visible(), s.progress.Visible())
				}
			}
		})
	}
}

package office

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// TestEnglishSingular: the queue's days late and the sync panel's counts
// say one thing in the singular in English ("1 working day late", "1
// update received"), any other number in the plural, and Chinese the
// same words for both (issue 7).
func TestEnglishSingular(t *testing.T) {
	ended := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) // 10:00 in China
	tests := []struct {
		lang                 ui.Lang
		n                    int
		late, round, applied string
	}{
		{ui.English, 1, "1 working day late", "2026-11-27 10:00  OK: 1 update received, 1 application waiting", "1 update received so far…"},
		{ui.English, 2, "2 working days late", "2026-11-27 10:00  OK: 2 updates received, 2 applications waiting", "2 updates received so far…"},
		{ui.English, 0, "Overdue", "2026-11-27 10:00  OK: 0 updates received, 0 applications waiting", "0 updates received so far…"},
		{ui.Chinese, 1, "逾期 1 个工作日", "2026-11-27 10:00　成功：更新 1 条，待上传 1 件", "本轮已接收 1 条更新……"},
		{ui.Chinese, 7, "逾期 7 个工作日", "2026-11-27 10:00　成功：更新 7 条，待上传 7 件", "本轮已接收 7 条更新……"},
	}
	d := newDesk(t, ui.English)
	d.logIn(t, "C001", clerkPassword)
	for _, tt := range tests {
		d.ui.lang = tt.lang
		row := d.ui.queueRow(app.QueueItem{No: "A-1", Kind: credit.KindObjection, Overdue: true, DaysLate: tt.n})
		if got := row[queueCols-1].Text; got != tt.late {
			t.Errorf("%s, %d days late: %q, want %q", tt.lang, tt.n, got, tt.late)
		}
		if got := d.ui.roundText(app.SyncRound{Phase: app.SyncIdle, Ended: ended, Applied: tt.n, Pending: tt.n}); got != tt.round {
			t.Errorf("%s, round of %d: %q, want %q", tt.lang, tt.n, got, tt.round)
		}
		d.ui.renderSyncProgress(app.SyncInfo{Phase: app.SyncRunning, Applied: tt.n})
		if got := d.ui.syncTab.applied.Text; got != tt.applied {
			t.Errorf("%s, %d applied: %q, want %q", tt.lang, tt.n, got, tt.applied)
		}
	}
}

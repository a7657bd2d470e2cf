package app

import (
	"testing"
	"time"
)

func TestSyncPercentAndLagOverdue(t *testing.T) {
	pct := []struct {
		done, total int64
		want        int
	}{{0, 0, -1}, {5, 0, -1}, {0, 10, 0}, {1, 3, 33}, {10, 10, 100}, {12, 10, 100}, {-1, 10, 0}}
	for _, tt := range pct {
		if got := (SyncInfo{Done: tt.done, Total: tt.total}).Percent(); got != tt.want {
			t.Errorf("Percent(%d/%d) = %d, want %d", tt.done, tt.total, got, tt.want)
		}
	}
	// Art. 48: one day (24 h) to delete once the update reaches the device.
	lag := []struct {
		l    DeletionLag
		want bool
	}{
		{DeletionLag{}, false},
		{DeletionLag{Known: true}, false},
		{DeletionLag{Known: true, Waiting: 2, Oldest: 24 * time.Hour}, false},
		{DeletionLag{Known: true, Waiting: 2, Oldest: 24*time.Hour + time.Second}, true},
		{DeletionLag{Known: true, Waiting: 0, Oldest: 48 * time.Hour}, false},
		{DeletionLag{Known: false, Waiting: 1, Oldest: 48 * time.Hour}, false},
	}
	for _, tt := range lag {
		if got := tt.l.Overdue(); got != tt.want {
			t.Errorf("%+v.Overdue() = %v, want %v", tt.l, got, tt.want)
		}
	}
}

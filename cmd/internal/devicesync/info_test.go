package devicesync

import (
	"testing"
	"time"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// TestInfoCarriesPercentAndLag: the client's progress totals and the
// platform's deletion lag reach the app's sync status as they are.
func TestInfoCarriesPercentAndLag(t *testing.T) {
	tests := []struct {
		p       syncclient.Progress
		percent int
		lag     app.DeletionLag
	}{
		{syncclient.Progress{Phase: syncclient.PhasePull}, -1, app.DeletionLag{}},
		{syncclient.Progress{Phase: syncclient.PhaseResync, Done: 250, Total: 1000}, 25, app.DeletionLag{}},
		{syncclient.Progress{Phase: syncclient.PhaseDone, Done: 3, Total: 3,
			DeletionLag: syncclient.DeletionLag{Known: true, Waiting: 2, Oldest: 26 * time.Hour}},
			100, app.DeletionLag{Known: true, Waiting: 2, Oldest: 26 * time.Hour}},
	}
	for _, tt := range tests {
		got := Info(tt.p)
		if got.Percent() != tt.percent || got.Lag != tt.lag {
			t.Errorf("Info(%+v): %d %%, lag %+v; want %d %%, %+v", tt.p, got.Percent(), got.Lag, tt.percent, tt.lag)
		}
	}
	if !Info(tests[2].p).Lag.Overdue() {
		t.Error("26 h is past Art. 48's day")
	}
}

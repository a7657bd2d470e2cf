package devicesync

import (
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/sync/syncclient"
)

func TestInfo(t *testing.T) {
	last := time.Date(2026, 11, 27, 9, 0, 0, 0, credit.China)
	tests := []struct {
		p    syncclient.Progress
		want app.SyncPhase
	}{
		{syncclient.Progress{Phase: syncclient.PhasePush}, app.SyncRunning},
		{syncclient.Progress{Phase: syncclient.PhasePull, Applied: 500}, app.SyncRunning},
		{syncclient.Progress{Phase: syncclient.PhaseResync}, app.SyncRunning},
		{syncclient.Progress{Phase: syncclient.PhaseDone, LastSuccess: last, Applied: 3, Pending: 1}, app.SyncIdle},
		{syncclient.Progress{Phase: syncclient.PhaseFailed, Err: credit.Errorf(credit.EUNAVAILABLE, "离线", "offline")}, app.SyncOffline},
		{syncclient.Progress{Phase: syncclient.PhaseFailed, Err: errors.New("boom")}, app.SyncFailed},
	}
	for _, tt := range tests {
		got := Info(tt.p)
		if got.Phase != tt.want || got.Applied != tt.p.Applied || got.Pending != tt.p.Pending || !got.LastSuccess.Equal(tt.p.LastSuccess) || got.Err != tt.p.Err {
			t.Errorf("Info(%+v) = %+v, want phase %s", tt.p, got, tt.want)
		}
	}
}

func TestKeyPath(t *testing.T) {
	if got := KeyPath("/var/lib/credit/kiosk.db", ""); got != "/var/lib/credit/kiosk.db.key" {
		t.Errorf("default key path %q", got)
	}
	if got := KeyPath("/var/lib/credit/kiosk.db", "/etc/credit/device.key"); got != "/etc/credit/device.key" {
		t.Errorf("explicit key path %q", got)
	}
}

package app_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestSyncRounds(t *testing.T) {
	offline := credit.Errorf(credit.EUNAVAILABLE, "平台无法连接", "The platform cannot be reached.")
	refused := credit.Errorf(credit.EUNAUTHORIZED, "终端未授权", "This terminal is not authorised.")
	run := app.SyncInfo{Phase: app.SyncRunning}
	tests := []struct {
		name    string
		reports []app.SyncInfo
		want    []app.SyncPhase // newest first
		wantErr []error
	}{
		{"start-up idle is no round", []app.SyncInfo{{Phase: app.SyncIdle}, {Phase: app.SyncOff}}, nil, nil},
		{"one good round", []app.SyncInfo{run, run, {Phase: app.SyncIdle, Applied: 3}}, []app.SyncPhase{app.SyncIdle}, []error{nil}},
		{"offline then refused then good", []app.SyncInfo{
			run, {Phase: app.SyncOffline, Err: offline},
			run, {Phase: app.SyncFailed, Err: refused},
			run, {Phase: app.SyncIdle},
		}, []app.SyncPhase{app.SyncIdle, app.SyncFailed, app.SyncOffline}, []error{nil, refused, offline}},
		{"failure before any progress", []app.SyncInfo{{Phase: app.SyncFailed, Err: refused}}, []app.SyncPhase{app.SyncFailed}, []error{refused}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := friday
			mem := apptest.Fixture(friday)
			svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Now: func() time.Time { return clock }})
			for _, r := range tt.reports {
				clock = clock.Add(time.Second)
				svc.PublishSync(r)
			}
			got := svc.SyncRounds()
			if len(got) != len(tt.want) {
				t.Fatalf("%d rounds, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, r := range got {
				if r.Phase != tt.want[i] || r.Err != tt.wantErr[i] || r.OK() != (tt.want[i] == app.SyncIdle) {
					t.Errorf("round %d: %s %v, want %s %v", i, r.Phase, r.Err, tt.want[i], tt.wantErr[i])
				}
				if r.Ended.IsZero() || (!r.Started.IsZero() && !r.Started.Before(r.Ended)) {
					t.Errorf("round %d: started %v ended %v", i, r.Started, r.Ended)
				}
			}
		})
	}
}

func TestSyncRoundsBounded(t *testing.T) {
	mem := apptest.Fixture(friday)
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Now: func() time.Time { return friday }})
	for i := range app.SyncHistoryLen + 7 {
		svc.PublishSync(app.SyncInfo{Phase: app.SyncRunning})
		svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: i})
	}
	got := svc.SyncRounds()
	if len(got) != app.SyncHistoryLen || got[0].Applied != app.SyncHistoryLen+6 || got[len(got)-1].Applied != 7 {
		t.Errorf("%d rounds, newest applied %d, oldest %d", len(got), got[0].Applied, got[len(got)-1].Applied)
	}
}

func TestSyncNow(t *testing.T) {
	mem := apptest.Fixture(friday)
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem})
	if svc.CanSyncNow() {
		t.Error("CanSyncNow without a sync loop")
	}
	if err := svc.SyncNow(); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Errorf("SyncNow without a loop: %v", err)
	}
	woken := 0
	svc = app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, SyncNow: func() { woken++ }})
	if !svc.CanSyncNow() || svc.SyncNow() != nil || woken != 1 {
		t.Errorf("SyncNow with a loop: can %v, woken %d", svc.CanSyncNow(), woken)
	}
}

package devicesync

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// rig is a platform holding three synthetic subjects behind a real HTTP
// server, an enrolment code it issued for kiosk-1, and the kiosk's store.
type rig struct {
	url  string
	code string
	db   *store.DB
	ds   synth.Dataset
}

// newRig opens the rig under dir; stop shuts the store, the HTTP server
// and the platform, in that order. It is returned rather than left to
// t.Cleanup so a leak check deferred before it runs after it.
func newRig(t *testing.T, dir string, opts syncserver.Options) (r rig, stop func()) {
	t.Helper()
	var closers []func()
	stop = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) { stop(); t.Fatal(err) }
	srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), opts)
	if err != nil {
		fail(err)
	}
	closers = append(closers, func() { srv.Close() })
	r.ds = synth.Generate(3, 5)
	if err := srv.PutSubjects(t.Context(), r.ds.Subjects, r.ds.Records); err != nil {
		fail(err)
	}
	hs := httptest.NewServer(srv.Handler())
	closers = append(closers, hs.Close)
	r.url = hs.URL
	if r.code, _, err = srv.AddDevice(t.Context(), "kiosk-1", ""); err != nil {
		fail(err)
	}
	if r.db, err = store.Open(t.Context(), filepath.Join(dir, "kiosk.db")); err != nil {
		fail(err)
	}
	closers = append(closers, func() { r.db.Close() })
	return r, stop
}

// startRound starts the loop with cfg (its Publish set here) and waits for
// the end of its first round — idle, failed or offline — and returns that
// status. hang is a hang guard, not a timing assertion; logs, if not nil,
// is printed when it fires.
func startRound(t *testing.T, ctx context.Context, wg *gosync.WaitGroup, cfg Config, hang time.Duration, logs func() string) app.SyncInfo {
	t.Helper()
	infos := make(chan app.SyncInfo, 64)
	cfg.Publish = func(i app.SyncInfo) {
		select {
		case infos <- i:
		default:
		}
	}
	Start(ctx, wg, cfg)
	var last app.SyncInfo
	for last.Phase != app.SyncIdle && last.Phase != app.SyncFailed && last.Phase != app.SyncOffline {
		select {
		case last = <-infos:
		case <-time.After(hang):
			extra := ""
			if logs != nil {
				extra = logs()
			}
			t.Fatalf("no end of round; last %+v\n%s", last, extra)
		}
	}
	return last
}

package e2e_test

// F10 of sync.md §3: the platform restored from a backup (lower seq, new
// epoch). The kiosk resyncs, and the applications the platform had
// acknowledged and then lost with the restore are sent again; the
// platform holds each exactly once (I1, I2) and the kiosk a valid receipt.

import (
	"path/filepath"
	"strconv"
	"time"

	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// backup writes a backup of the running platform and returns a function
// that restores it as an operator does: stop the platform, Restore,
// start it again.
func (r *faultRig) backup() (restore func() syncserver.RestoreInfo) {
	path := filepath.Join(r.t.TempDir(), "backup-"+strconv.Itoa(len(r.captured))+".db")
	if err := r.server().Backup(r.t.Context(), path); err != nil {
		r.t.Fatal(err)
	}
	return func() syncserver.RestoreInfo {
		r.srvMu.Lock()
		defer r.srvMu.Unlock()
		if err := r.srv.Close(); err != nil {
			r.t.Fatal(err)
		}
		info, err := syncserver.Restore(r.t.Context(), r.srvPath, path)
		if err != nil {
			r.t.Fatal(err)
		}
		r.openServer()
		return info
	}
}

// syncOK runs a round that must succeed.
func (r *faultRig) syncOK(when string) syncclient.Result {
	r.t.Helper()
	res, err := r.client.SyncOnce(r.t.Context())
	if err != nil {
		r.t.Fatalf("%s: %v", when, err)
	}
	return res
}

// wantRedelivered checks the faulty round resynced, requeued exactly n
// applications and pushed them again.
func wantRedelivered(n int) func(*faultRig, syncclient.Result, error, time.Duration, int) {
	return func(r *faultRig, res syncclient.Result, err error, _ time.Duration, _ int) {
		if res.Resyncs == 0 || res.Redelivered != n || res.Pushed < n {
			r.t.Errorf("after the restore: %+v, %v; want a resync and %d applications sent again", res, err, n)
		}
	}
}

func restoreFaultCases() []faultCase {
	return []faultCase{
		{name: "F10 platform restored from a backup: acknowledged applications lost with it are sent again", noFault: true, firstOK: true,
			before: func(r *faultRig) {
				// Three applications reach the platform before the backup,
				// two after it; the restore loses those two.
				r.syncOK("before the backup")
				restore := r.backup()
				r.capture(2)
				r.syncOK("after the backup")
				if info := restore(); info.FromSeq <= 0 || info.FromEpoch == info.Epoch {
					r.t.Fatalf("restore: %+v", info)
				}
				if apps, err := r.server().Applications(r.t.Context()); err != nil || len(apps) != 3 {
					r.t.Fatalf("the restored platform holds %d applications, %v; want 3", len(apps), err)
				}
			},
			after: wantRedelivered(2)},
		{name: "F10 platform restored twice while the kiosk was away: every recent application is sent again", noFault: true, firstOK: true,
			before: func(r *faultRig) {
				// The second backup is of an epoch the kiosk never saw, so
				// it cannot tell which receipts survived: it sends all five
				// again and the platform answers the three it holds with
				// their receipts.
				r.syncOK("before the backups")
				first := r.backup()
				r.capture(2)
				r.syncOK("after the first backup")
				first()
				second := r.backup()
				if info := second(); info.FromSeq <= 0 {
					r.t.Fatalf("second restore: %+v", info)
				}
			},
			after: wantRedelivered(5)},
	}
}

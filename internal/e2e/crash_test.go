package e2e_test

// F13 (sync.md §3): the kiosk's sync client, run as a child process, is
// SIGKILLed at each named failpoint of the sync path, round after round,
// and restarted. After every kill and every restart the invariants of
// issue 3 are checked on the real files: no application lost or
// duplicated on the platform (I1, I2), the kiosk's data equal to the
// platform's with equal scope checksums (I3), the cursor never ahead of
// the applied data and never going back (I5), withdrawn canaries absent
// from the db, -wal and -shm bytes, and PRAGMA integrity_check ok.

import (
	"fmt"
	"testing"

	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/protocol"
)

// crashCase kills the child at the counts-th hit of point, one round per
// count; or, with a method, when the counts-th such request to path is
// in flight (the platform has answered, the answer has not arrived).
type crashCase struct {
	point        string
	method, path string
	counts       []int64
	// resync rotates the platform's epoch before each round, so the
	// round resyncs from a snapshot (the snapshot's failpoints).
	resync bool
}

var crashCases = []crashCase{
	{point: "syncclient.pull.page-read", counts: []int64{1, 2}},
	{point: "store.apply.before-cursor", counts: []int64{1, 2}},
	{point: "store.apply.committed", counts: []int64{1, 2}},
	{point: "syncclient.push.before-receipt", counts: []int64{1, 3}},
	// PUT /applications/{uuid} or POST /applications:batch.
	{point: "application upload in flight", method: "*", path: protocol.PathPrefix + "/applications", counts: []int64{1}},
	{point: "change page GET in flight", method: "GET", path: protocol.PathChanges, counts: []int64{2}},
	{point: "store.snapshot.mid-page", counts: []int64{1, 4}, resync: true},
	{point: "store.snapshot.before-sweep", counts: []int64{1}, resync: true},
	{point: "store.snapshot.committed", counts: []int64{1}, resync: true},
}

// crash runs a child sync that cc kills at its n-th hit (or request) and
// reports whether it died so.
func (c *crashRig) crash(cc crashCase, n int64) bool {
	if cc.method == "" {
		return c.runChild(failpoint.Spec{Name: cc.point, Count: n}, "", "")
	}
	method := cc.method
	if method == "*" {
		method = "" // any
	}
	c.proxy.Script(faultproxy.Rule{Method: method, Path: cc.path, Skip: int(n) - 1, Times: 1,
		Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Rewrite: c.killInFlight}})
	defer c.proxy.Script()
	return c.runChild(failpoint.Spec{}, "", "")
}

// TestCrashAtFailpoints runs every failpoint in turn on one rig. Per
// round: platform changes (two pages of corrections, a new canary, the
// previous canary withdrawn) and three objections captured on the kiosk,
// then a child killed at the point, then a child that must finish the
// sync; the invariants are checked after the kill, after the restart and
// on the files of the restarted kiosk before it closed its database.
func TestCrashAtFailpoints(t *testing.T) {
	c := newCrashRig(t, faultSeed+100)
	c.verify("after the first sync", "", true)
	rounds := 0
	for _, cc := range crashCases {
		for _, n := range cc.counts {
			c.work(2*faultPageLimit, 3)
			if cc.resync {
				if _, err := c.server().RotateEpoch(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			if !c.crash(cc, n) {
				t.Fatalf("%s:%d: the child was not killed: the round proves nothing", cc.point, n)
			}
			at := fmt.Sprintf("%s:%d", cc.point, n)
			c.verify("after the kill at "+at, "", false)
			running := t.TempDir()
			if c.runChild(failpoint.Spec{}, "", running) {
				t.Fatal("the restarted child was killed with no failpoint armed")
			}
			c.verify("after the restart from "+at, "", true)
			c.verify("while the restarted kiosk runs, after "+at, running, true)
			rounds++
		}
	}
	t.Logf("%d rounds, %d applications captured, %d canaries withdrawn", rounds, len(c.captured), c.withdrawn)
}

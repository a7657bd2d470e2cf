package e2e_test

// F24-lite (sync.md §3): a seeded randomised run. Local captures, platform
// puts, corrections, withdrawals and re-publications, canaries, platform
// restarts, epoch rotations and compactions, scripted network faults from
// internal/faultproxy, and syncs in this process or in a child killed at
// a random failpoint, in a random order. The invariants are checked after
// every sync (those that hold under faults) and, after healing and
// quiescing, all of them (I1–I3, I5, canaries, integrity_check).
//
// It runs for a few seconds in make test; CREDIT_NEMESIS_MINUTES=N runs it
// for N minutes, CREDIT_NEMESIS_SEED=S with another seed.

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// nemesisBudget reads the run's length and seed from the environment.
func nemesisBudget(t *testing.T) (time.Duration, uint64) {
	t.Helper()
	d := 8 * time.Second
	if testing.Short() {
		d = 2 * time.Second
	}
	if v := os.Getenv("CREDIT_NEMESIS_MINUTES"); v != "" {
		m, err := strconv.ParseFloat(v, 64)
		if err != nil || m <= 0 || m > 24*60 {
			t.Fatalf("CREDIT_NEMESIS_MINUTES=%q: want a number of minutes in (0, 1440]", v)
		}
		d = time.Duration(m * float64(time.Minute))
	}
	seed := uint64(faultSeed + 300)
	if v := os.Getenv("CREDIT_NEMESIS_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CREDIT_NEMESIS_SEED=%q: want a whole number", v)
		}
		seed = s
	}
	return d, seed
}

// nemesis drives one crash rig at random.
type nemesis struct {
	*crashRig
	key      []byte
	gone     []string        // withdrawn plain records, candidates for re-publication
	goneRecs []credit.Record // their last content
	created  int             // records put by the nemesis
	history  []string        // the operations so far, for a failure report
	stats    struct{ syncs, kills int }
}

// faultMenu is what the network may do during a round.
var faultMenu = []faultproxy.Rule{
	{Times: 2, Fault: faultproxy.Fault{Action: faultproxy.Refuse}},
	{Method: "GET", Path: protocol.PathChanges, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutMidLine, Identity: true}},
	{Method: "GET", Path: protocol.PathChanges, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutLineBoundary, Identity: true}},
	{Method: "GET", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.CorruptResponse, Identity: true}},
	{Method: "GET", Path: protocol.PathSnapshot, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut}},
	{Path: protocol.PathPrefix + "/applications", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Lose}},
	{Path: protocol.PathPrefix + "/applications", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Lose, Status: -1}},
	{Path: protocol.PathPrefix + "/applications", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Duplicate, Copies: 2, Concurrent: true, AnswerLast: true}},
	{Path: protocol.PathPrefix + "/applications", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.CorruptRequest}},
	{Path: protocol.PathPrefix + "/applications", Times: 1, Fault: faultproxy.Fault{Action: faultproxy.TruncateRequest}},
	{Times: 3, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"86400"}}}},
	{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"-5"}}}},
}

// step runs one random operation and returns its description.
func (n *nemesis) step() string {
	ctx := n.t.Context()
	plain := n.plainRecords()
	switch k := n.rng.IntN(100); {
	case k < 12: // citizens file objections
		if 2*len(n.objected) > len(plain) {
			return "capture skipped (enough objections)"
		}
		c := 1 + n.rng.IntN(3)
		n.withStore(n.live, func() {
			for range c {
				n.capture(plain)
			}
		})
		return fmt.Sprintf("capture %d", c)
	case k < 20: // a new record
		rec := plain[n.rng.IntN(len(plain))]
		n.created++
		rec.ID, rec.Version = fmt.Sprintf("R-NEM-%d-%d", n.seed, n.created), 0
		n.records = append(n.records, rec)
		n.must(n.server().PutSubjects(ctx, nil, []credit.Record{rec}))
		return "put " + rec.ID
	case k < 30: // corrections
		var recs []credit.Record
		for range 1 + n.rng.IntN(2*faultPageLimit) {
			rec := plain[n.rng.IntN(len(plain))]
			rec.Version, rec.Title = 0, fmt.Sprintf("行政处罚（更正%d）", n.rng.IntN(1000))
			recs = append(recs, rec)
		}
		n.must(n.server().PutSubjects(ctx, nil, recs))
		return fmt.Sprintf("correct %d", len(recs))
	case k < 36: // a withdrawal
		if len(n.gone)*4 > len(plain) {
			return "withdraw skipped"
		}
		rec := plain[n.rng.IntN(len(plain))]
		n.must(n.server().WithdrawRecord(ctx, rec.ID, "withdrawn"))
		n.records = deleteRecord(n.records, rec.ID)
		n.gone = append(n.gone, rec.ID)
		n.goneRecs = append(n.goneRecs, rec)
		return "withdraw " + rec.ID
	case k < 40: // a withdrawn record published again
		if len(n.gone) == 0 {
			return "re-publish skipped"
		}
		i := n.rng.IntN(len(n.gone))
		rec := n.goneRecs[i]
		rec.Version = 0 // the platform numbers it above the tombstone
		n.must(n.server().PutSubjects(ctx, nil, []credit.Record{rec}))
		n.records = append(n.records, rec)
		n.gone, n.goneRecs = append(n.gone[:i], n.gone[i+1:]...), append(n.goneRecs[:i], n.goneRecs[i+1:]...)
		return "re-publish " + rec.ID
	case k < 45: // a canary arrives, or the oldest one is withdrawn
		if n.withdrawn < len(n.canaries) && n.rng.IntN(2) == 0 {
			n.must(n.server().WithdrawRecord(ctx, n.canaryIDs[n.withdrawn], "withdrawn"))
			n.withdrawn++
			return "withdraw canary " + n.canaryIDs[n.withdrawn-1]
		}
		n.addCanary(plain[0].SubjectID)
		last := len(n.canaries) - 1
		n.canaries[last] = fmt.Sprintf("金丝雀NEM-%d-%d止", n.seed, last)
		n.records[len(n.records)-1].Content = n.canaries[last]
		n.must(n.server().PutSubjects(ctx, nil, n.records[len(n.records)-1:]))
		return "put canary " + n.canaryIDs[last]
	case k < 48:
		n.restart()
		return "platform restart"
	case k < 50:
		_, err := n.server().RotateEpoch(ctx)
		n.must(err)
		return "epoch rotated"
	case k < 52:
		time.Sleep(2 * time.Millisecond) // past the rig's 1 ms tombstone horizon
		c, err := n.server().Compact(ctx)
		n.must(err)
		return fmt.Sprintf("compacted %d", c)
	case k < 62:
		r := faultMenu[n.rng.IntN(len(faultMenu))]
		n.proxy.Script(r)
		n.faulty = true
		return fmt.Sprintf("faults: %s %s %s", r.Method, r.Path, r.Fault.Action)
	case k < 82:
		res, err := n.syncHere()
		if err != nil && !n.faulty {
			n.must(fmt.Errorf("a sync without faults failed: %w", err))
		}
		n.stats.syncs++
		n.proxy.Script()
		n.faulty = false
		n.verify("after a sync here", "", false)
		return fmt.Sprintf("sync here: pushed %d applied %d resyncs %d err=%v", res.Pushed, res.Applied, res.Resyncs, err)
	default:
		cc := crashCases[n.rng.IntN(len(crashCases))]
		count := 1 + n.rng.Int64N(3)
		killed := n.crash(cc, count)
		n.stats.syncs++
		if killed {
			n.stats.kills++
		}
		n.proxy.Script()
		n.faulty = false
		n.verify(fmt.Sprintf("after a child sync, kill at %s:%d", cc.point, count), "", false)
		return fmt.Sprintf("child sync, kill at %s:%d: killed=%v", cc.point, count, killed)
	}
}

func (n *nemesis) must(err error) {
	n.t.Helper()
	if err != nil {
		n.t.Fatalf("%v\nhistory:\n%s", err, strings.Join(n.history, "\n"))
	}
}

// syncHere syncs once in this process.
func (n *nemesis) syncHere() (res syncclient.Result, err error) {
	n.withStore(n.live, func() {
		res, err = syncclient.New(childConfig(n.url, n.key, n.db)).SyncOnce(n.t.Context())
	})
	return res, err
}

func deleteRecord(recs []credit.Record, id string) []credit.Record {
	out := recs[:0]
	for _, r := range recs {
		if r.ID != id {
			out = append(out, r)
		}
	}
	return out
}

// TestNemesis runs random operations until the budget is spent, then
// heals the network, syncs until a round succeeds and checks everything.
func TestNemesis(t *testing.T) {
	budget, seed := nemesisBudget(t)
	t.Logf("nemesis: seed %d, %v (CREDIT_NEMESIS_SEED, CREDIT_NEMESIS_MINUTES)", seed, budget)
	n := &nemesis{crashRig: newCrashRig(t, seed)}
	key, err := syncclient.LoadOrCreateDeviceKey(n.live + ".key")
	if err != nil {
		t.Fatal(err)
	}
	n.key = key
	deadline := time.Now().Add(budget)
	for time.Now().Before(deadline) && !t.Failed() {
		n.history = append(n.history, n.step())
	}
	if t.Failed() {
		t.Fatalf("history:\n%s", strings.Join(n.history, "\n"))
	}

	// Quiesce: no faults; a few rounds until one succeeds.
	n.proxy.Script()
	for i := 0; ; i++ {
		if _, err := n.syncHere(); err == nil {
			break
		} else if i == 3 {
			t.Fatalf("no clean round after healing: %v\nhistory:\n%s", err, strings.Join(n.history, "\n"))
		}
	}
	n.verify("after quiescing", "", true)
	running := t.TempDir()
	if n.runChild(failpoint.Spec{}, "", running) {
		t.Fatal("the quiet child was killed")
	}
	n.verify("while a quiet kiosk runs", running, true)
	if res, err := n.syncHere(); err != nil || res.Pushed != 0 {
		t.Fatalf("quiet round: pushed %d, %v", res.Pushed, err)
	}
	if t.Failed() {
		t.Logf("history:\n%s", strings.Join(n.history, "\n"))
	}
	t.Logf("%d operations: %d syncs (%d killed at a failpoint), %d faults fired, %d applications captured, %d canaries withdrawn, %d records withdrawn and not republished",
		len(n.history), n.stats.syncs, n.stats.kills, n.proxy.Fired(), len(n.captured), n.withdrawn, len(n.gone))
}

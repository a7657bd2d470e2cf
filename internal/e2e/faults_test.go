package e2e_test

// Fault-injection scenarios of sync.md §3 run end to end: the reference
// platform on SQLite, an enrolled sync client and the kiosk's SQLite store,
// with internal/faultproxy between them on 127.0.0.1. After every faulty
// round and again after healing, the invariants of issue 3 are checked
// against the raw databases (see faultRig.check).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/klauspost/compress/zstd"
	_ "modernc.org/sqlite"
)

const (
	faultSeed      = 20261127
	faultWaitMax   = 60 * time.Millisecond // the client's per-request backoff cap
	faultPageLimit = 20
)

// faultReceiptPub and faultReceiptKey are the platform's receipt key in
// the fault scenarios: the platform signs receipts with it, the kiosk and
// check verify them (sync.md I6).
func (r *faultRig) morePages() { r.corrections(3 * faultPageLimit) }

// pageRewrite returns a Rewrite that inserts extra op lines (given their
// seqs) into the first gap of the change log wide enough for them, and
// fixes the trailer's count and SHA-256, as a platform holding bad rows
// would have produced the page. A page without such a gap is left alone.
func pageRewrite(extra func(seqs []int64) []string, n int, inserted *atomic.Int32) func([]byte) []byte {
	return func(body []byte) []byte {
		lines := bytes.SplitAfter(body, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		if len(lines) < 3 {
			return body
		}
		var tr protocol.Trailer
		if err := json.Unmarshal(lines[len(lines)-1], &tr); err != nil || tr.Op != protocol.OpEnd {
			return body
		}
		seqOf := func(l []byte) int64 {
			var x struct {
				Seq int64 `json:"seq"`
			}
			_ = json.Unmarshal(l, &x)
			return x.Seq
		}
		ops := lines[:len(lines)-1]
		for i := 1; i < len(ops); i++ {
			prev, next := seqOf(ops[i-1]), seqOf(ops[i])
			if next-prev <= int64(n) {
				continue
			}
			seqs := make([]int64, n)
			for k := range seqs {
				seqs[k] = prev + 1 + int64(k)
			}
			var out []byte
			for _, l := range ops[:i] {
				out = append(out, l...)
			}
			for _, l := range extra(seqs) {
				out = append(append(out, l...), '\n')
			}
			for _, l := range ops[i:] {
				out = append(out, l...)
			}
			tr.N += n
			sum := sha256.Sum256(out)
			tr.SHA256 = hex.EncodeToString(sum[:])
			b, _ := json.Marshal(tr)
			inserted.Add(1)
			return append(append(out, b...), '\n')
		}
		return body
	}
}

// zstdBomb is a valid zstd frame of 32 MiB of zeros (a few KB on the
// wire).
func zstdBomb(t *testing.T) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(make([]byte, 32<<20), nil)
}

// sawClockSkew checks the platform refused at least one attempt (the
// clock_skew 401) before the client corrected its clock.
func sawClockSkew(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, from int) {
	for _, e := range r.proxy.Events()[from:] {
		if e.Status == http.StatusUnauthorized {
			return
		}
	}
	r.t.Error("the skewed platform never refused an attempt: the scenario proves nothing")
}

// maxGap is the longest pause between two requests the proxy saw from
// index from on (not counting the pause before the first of them: the
// scenario's setup).
func maxGap(ev []faultproxy.Event, from int) time.Duration {
	var g time.Duration
	for i := from + 1; i < len(ev); i++ {
		g = max(g, ev[i].At.Sub(ev[i-1].At))
	}
	return g
}

type faultCase struct {
	name string
	slow bool // skipped under -short
	// rules is the fault script of the faulty round.
	rules func(r *faultRig) []faultproxy.Rule
	// before runs after the work and before the faulty round.
	before func(r *faultRig)
	// firstOK: the client's own retries must absorb the fault, so the
	// faulty round succeeds.
	firstOK bool
	// noFault: the scenario injects nothing through the proxy.
	noFault bool
	// noHeal: the fault is permanent (a revoked device); only the
	// invariants that hold under it are checked.
	noHeal bool
	// gap names a known gap of the client that makes the scenario fail;
	// the scenario is skipped until it is closed.
	gap string
	// after checks what is particular to the scenario.
	after func(r *faultRig, res syncclient.Result, err error, elapsed time.Duration, evFrom int)
}

var (
	// uploads matches both upload forms: PUT /applications/{uuid} and
	// POST /applications:batch (several pending items go in a batch).
	uploads    = protocol.PathPrefix + "/applications"
	anyPut     = func(f faultproxy.Fault) faultproxy.Rule { return faultproxy.Rule{Path: uploads, Times: 1, Fault: f} }
	changesGET = protocol.PathChanges
)

func faultCases() []faultCase {
	wantErr := func(r *faultRig, _ syncclient.Result, err error, _ time.Duration, _ int) {
		if err == nil {
			r.t.Error("the faulty round reported success")
		}
	}
	return append([]faultCase{
		{name: "F1 connection reset before the request, twice", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Times: 2, Fault: faultproxy.Fault{Action: faultproxy.Refuse}}}
			}},
		{name: "F2 page cut inside a line",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutMidLine, Identity: true}}}
			}, after: wantErr},
		{name: "F2 page cut exactly at a line boundary",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutLineBoundary, Identity: true}}}
			}, after: wantErr},
		{name: "F2 compressed page cut at a random byte",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut}}}
			}, after: wantErr},
		{name: "F2 corrupt byte in a page",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.CorruptResponse, Identity: true}}}
			}, after: wantErr},
		{name: "F3 upload response lost after commit (502)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.Lose})}
			}},
		{name: "F3 upload response lost after commit (connection closed)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.Lose, Status: -1})}
			}},
		{name: "F4 upload delivered three times in a row", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Path: uploads, Fault: faultproxy.Fault{Action: faultproxy.Duplicate, Copies: 3}}}
			}},
		{name: "F4 upload delivered twice at once, client sees the later copy", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Path: uploads, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Duplicate, Copies: 2, Concurrent: true, AnswerLast: true}}}
			}},
		{name: "F5 upload body corrupted", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.CorruptRequest})}
			}, after: resentAfterDigestMismatch},
		{name: "F5 upload body truncated", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.TruncateRequest})}
			}, after: resentAfterDigestMismatch},
		{name: "F6 5xx storm longer than the retries",
			rules: func(*faultRig) []faultproxy.Rule {
				var rs []faultproxy.Rule
				for _, st := range []int{503, 500, 502, 504, 503, 503, 500, 502, 504, 503} {
					rs = append(rs, faultproxy.Rule{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: st}})
				}
				return rs
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				ev := r.proxy.Events()[from:]
				// Each request gets at most RetryMax+1 attempts: the push and
				// the pull stop after 4 each.
				if len(ev) > 8 {
					r.t.Errorf("%d requests in the storm round, want ≤ 8 (2 requests × 4 attempts)", len(ev))
				}
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v under the storm, cap %v", g, faultWaitMax)
				}
			}},
		{name: "F7 429 with hostile Retry-After (huge, past date, negative)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				ra := func(v string) faultproxy.Rule {
					return faultproxy.Rule{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {v}}}}
				}
				return []faultproxy.Rule{ra("86400"), ra(time.Now().Add(-48 * time.Hour).UTC().Format(http.TimeFormat)), ra("-5")}
			},
			after: func(r *faultRig, _ syncclient.Result, _ error, el time.Duration, from int) {
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v after a hostile Retry-After, cap %v", g, faultWaitMax)
				}
				if el > 10*time.Second {
					r.t.Errorf("the round took %v", el)
				}
			}},
		{name: "F7 429 with garbage Retry-After and 503 with a far one", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{
					{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: 429, Header: http.Header{"Retry-After": {"soon, maybe"}}}},
					{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: 503, Header: http.Header{"Retry-After": {"999999999999"}}}},
				}
			},
			after: func(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, from int) {
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v, cap %v", g, faultWaitMax)
				}
			}},
		{name: "F8 8 KB/s link losing a page", slow: true, before: (*faultRig).morePages,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{
					{Method: "GET", Path: changesGET, Skip: 1, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Identity: true}},
					{Fault: faultproxy.Fault{Action: faultproxy.Slow, BytesPerSec: 8 << 10, Chunk: 256, Identity: true}},
				}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				if res.Pages == 0 {
					r.t.Errorf("no page got through the slow link: %+v", res)
				}
				if min := time.Duration(res.Bytes) * time.Second / (8 << 10); el < min {
					r.t.Errorf("%d bytes in %v: the link was not throttled", res.Bytes, el)
				}
			}},
		{name: "F9 server restart between pages", firstOK: true, before: (*faultRig).morePages,
			rules: func(r *faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite,
					Rewrite: func(b []byte) []byte { r.restart(); return b }}}}
			},
			after: func(r *faultRig, res syncclient.Result, _ error, _ time.Duration, _ int) {
				if res.Resyncs != 0 || res.Applied > 3*faultPageLimit+20 {
					r.t.Errorf("after the restart the client started over: %+v", res)
				}
			}},
		{name: "F11 offline past the tombstone horizon, snapshot page cut", noFault: false,
			before: func(r *faultRig) {
				time.Sleep(5 * time.Millisecond)
				if n, err := r.server().Compact(r.t.Context()); err != nil || n == 0 {
					r.t.Fatalf("compact: %d, %v", n, err)
				}
			},
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: protocol.PathSnapshot, Skip: 1, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutMidLine, Identity: true}}}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				if res.Resyncs == 0 {
					r.t.Errorf("no resync after the tombstone horizon: %+v", res)
				}
			}},
		func() faultCase {
			var inserted atomic.Int32
			return faultCase{name: "F17 poison puts in a page that also deletes", firstOK: true,
				before: func(r *faultRig) {
					// Two records put and withdrawn leave a gap of two seqs in
					// the change log, where the poison lines go.
					ctx := r.t.Context()
					var spare []credit.Record
					for i := range 3 {
						rec := r.records[i]
						rec.ID = fmt.Sprintf("R-FAULT-SPARE-%d", i)
						spare = append(spare, rec)
					}
					if err := r.server().PutSubjects(ctx, nil, spare); err != nil {
						r.t.Fatal(err)
					}
					for _, rec := range spare[:2] {
						if err := r.server().WithdrawRecord(ctx, rec.ID, "withdrawn"); err != nil {
							r.t.Fatal(err)
						}
					}
				},
				rules: func(r *faultRig) []faultproxy.Rule {
					return []faultproxy.Rule{{Method: "GET", Path: changesGET, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: pageRewrite(func(seqs []int64) []string {
							return []string{
								fmt.Sprintf(`{"op":"put","t":"record","id":"R-POISON-%d","ver":1,"seq":%d,"d":"not a record"}`, seqs[0], seqs[0]),
								fmt.Sprintf(`{"op":"put","t":"hologram","id":"H-%d","ver":1,"seq":%d,"d":{}}`, seqs[1], seqs[1]),
							}
						}, 2, &inserted)}}}
				},
				after: func(r *faultRig, res syncclient.Result, _ error, _ time.Duration, _ int) {
					if inserted.Load() == 0 {
						r.t.Fatal("no page had room for the poison lines")
					}
					if res.Quarantined == 0 || res.Skipped == 0 || res.Deleted == 0 {
						r.t.Errorf("poison page: %+v, want a quarantined put, a skipped op and the deletions applied", res)
					}
				}}
		}(),
		func() faultCase {
			var old []byte
			var oldIDs []string
			var seqBefore int64
			return faultCase{name: "F20 stale page served for a newer cursor",
				before: func(r *faultRig) {
					// Capture the delta page, apply it, then correct the same
					// records again and sync: the captured page is now stale.
					ctx := r.t.Context()
					r.proxy.Script(faultproxy.Rule{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: func(b []byte) []byte { old = bytes.Clone(b); return b }}})
					if _, err := r.client.SyncOnce(ctx); err != nil || old == nil {
						r.t.Fatalf("capturing sync: %v", err)
					}
					var again []credit.Record
					for _, l := range bytes.Split(old, []byte("\n")) {
						var x protocol.Line
						if json.Unmarshal(l, &x) == nil && x.Op == protocol.OpPut && x.T == "record" {
							for _, rec := range r.records {
								if rec.ID == x.ID {
									rec.Version = 0
									again = append(again, rec)
									oldIDs = append(oldIDs, rec.ID)
								}
							}
						}
					}
					if len(again) == 0 {
						r.t.Fatal("the captured page holds no record put")
					}
					if err := r.server().PutSubjects(ctx, nil, again); err != nil {
						r.t.Fatal(err)
					}
					r.proxy.Script()
					if _, err := r.client.SyncOnce(ctx); err != nil {
						r.t.Fatal(err)
					}
					cur, _ := r.db.Cursor(ctx)
					seqBefore = cursorSeq(r.t, cur)
				},
				rules: func(r *faultRig) []faultproxy.Rule {
					return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: func([]byte) []byte { return old }}}}
				},
				after: func(r *faultRig, res syncclient.Result, err error, _ time.Duration, _ int) {
					if err == nil || credit.ErrorCode(err) != credit.EUNAVAILABLE || res.Applied != 0 {
						r.t.Errorf("stale page: applied %d, err %v; want it refused as a transient fault", res.Applied, err)
					}
					// No version goes back.
					kdb := openRO(r.t, r.dbPath)
					defer kdb.Close()
					sdb := openRO(r.t, r.srvPath)
					defer sdb.Close()
					client, server := tableVersions(r.t, kdb, "version"), tableVersions(r.t, sdb, "ver")
					for _, id := range oldIDs {
						if k := (rowKey{"record", id}); client[k] < server[k] {
							r.t.Errorf("stale page rolled record %s back to v%d (platform v%d)", id, client[k], server[k])
						}
					}
					cur, _ := r.db.Cursor(r.t.Context())
					if s := cursorSeq(r.t, cur); s < seqBefore {
						r.t.Errorf("the stale page rewound the cursor from seq %d to %d", seqBefore, s)
					}
				}}
		}(),
		{name: "F16 platform clock 10 min ahead", noFault: true, firstOK: true,
			before: func(r *faultRig) { r.skew(10 * time.Minute) }, after: sawClockSkew},
		{name: "F16 platform clock 10 min behind", noFault: true, firstOK: true,
			before: func(r *faultRig) { r.skew(-10 * time.Minute) }, after: sawClockSkew},
		{name: "F19 device revoked: no retry storm, outbox intact", noFault: true, noHeal: true,
			before: func(r *faultRig) {
				if err := r.server().RevokeDevice(r.t.Context(), deviceID); err != nil {
					r.t.Fatal(err)
				}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
					r.t.Errorf("revoked device: %v, want EUNAUTHORIZED", err)
				}
				if n := len(r.proxy.Events()) - from; n != 1 {
					r.t.Errorf("revoked device sent %d requests in the round, want 1", n)
				}
				pending, perr := r.db.PendingOutbox(r.t.Context(), 100)
				if perr != nil || len(pending) != len(r.captured) {
					r.t.Errorf("outbox after the refusal: %d pending of %d, %v", len(pending), len(r.captured), perr)
				}
			}},
		{name: "F23 decompression bomb",
			rules: func(r *faultRig) []faultproxy.Rule {
				bomb := zstdBomb(r.t)
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite,
					Header:  http.Header{"Content-Encoding": {"zstd"}},
					Rewrite: func([]byte) []byte { return bomb }}}}
			}, after: wantErr},
	}, append(restoreFaultCases(), linkFaultCases()...)...)
}

// TestSyncUnderFaults runs each scenario on a fresh rig: a first clean
// sync, platform changes and captured objections, one round through the
// faults, then rounds without them until the kiosk has converged.
func TestSyncUnderFaults(t *testing.T) {
	for i, c := range faultCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.gap != "" {
				t.Skip("known gap: " + c.gap)
			}
			if c.slow && testing.Short() {
				t.Skip("slow link scenario skipped under -short")
			}
			ctx := t.Context()
			r := newFaultRig(t, faultSeed+uint64(i))
			r.work(3)
			if c.before != nil {
				c.before(r)
			}
			from := len(r.proxy.Events())
			if c.rules != nil {
				r.proxy.Script(c.rules(r)...)
			}
			start := time.Now()
			res, err := r.client.SyncOnce(ctx)
			el := time.Since(start)
			t.Logf("faulty round (%v): err=%v result=%+v", el.Round(time.Millisecond), err, res)
			for _, e := range r.proxy.Events()[from:] {
				if e.Action != faultproxy.Pass {
					t.Logf("  %s %s %s → %d %s", e.Method, e.Path, e.Action, e.Status, e.Note)
				}
			}
			if !c.noFault && r.proxy.Fired() == 0 {
				t.Fatal("the fault never fired: the scenario proves nothing")
			}
			if c.firstOK && err != nil {
				t.Errorf("the client's retries did not absorb the fault: %v", err)
			}
			if c.after != nil {
				c.after(r, res, err, el, from)
			}
			r.check("after the faulty round", false)
			if c.noHeal {
				return
			}

			r.proxy.Script()
			for n := 0; ; n++ {
				if _, err = r.client.SyncOnce(ctx); err == nil {
					break
				} else if n == 2 {
					t.Fatalf("no recovery after healing: %v", err)
				}
			}
			r.check("after healing", true)
			// One more round sends nothing again.
			res, err = r.client.SyncOnce(ctx)
			if err != nil || res.Pushed != 0 {
				t.Fatalf("quiet round: pushed %d, %v", res.Pushed, err)
			}
			r.check("after a quiet round", true)
		})
	}
}

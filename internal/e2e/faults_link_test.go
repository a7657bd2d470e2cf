package e2e_test

// Link and clock faults of sync.md §3: F8, a slow link on which full
// pages cannot arrive within the client's request timeout; F20, a stale
// cache on the path replaying an old page; F15, the kiosk's clock jumping
// between rounds.

import (
	"fmt"
	"sync/atomic"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// newClient replaces the kiosk's client by one configured as the rig's
// with mod applied (same key, store and proxy).
func (r *faultRig) newClient(mod func(*syncclient.Config)) {
	cfg := r.cfg
	mod(&cfg)
	r.client = syncclient.New(cfg)
}

// corrections puts n corrections of the platform's records (never the
// canary).
func (r *faultRig) corrections(n int) {
	var recs []credit.Record
	for i := range n {
		rec := r.records[i%(len(r.records)-1)]
		rec.Version = 0 // the platform's next version
		recs = append(recs, rec)
	}
	if err := r.server().PutSubjects(r.t.Context(), nil, recs); err != nil {
		r.t.Fatal(err)
	}
}

const (
	slowLinkTimeout = time.Second
	slowLinkLimit   = 30 // ops of about 400 bytes: ≈1.5 s at 8 KB/s, over the timeout
)

func linkFaultCases() []faultCase {
	return append([]faultCase{
		{name: "F8 8 KB/s link, pages too big for the request timeout: smaller pages, progress, no timeout loop", slow: true, firstOK: true,
			before: func(r *faultRig) {
				r.corrections(slowLinkLimit)
				r.newClient(func(c *syncclient.Config) {
					c.PageLimit, c.RequestTimeout = slowLinkLimit, slowLinkTimeout
				})
			},
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Fault: faultproxy.Fault{Action: faultproxy.Slow, BytesPerSec: 8 << 10, Chunk: 256, Identity: true}}}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				asked := 0
				for _, e := range r.proxy.Events()[from:] {
					if e.Path == changesGET {
						asked++
					}
				}
				timeouts := asked - res.Pages
				r.t.Logf("%d pages, %d timed out, %d bytes in %v; page limit now %d", res.Pages, timeouts, res.Bytes, el.Round(time.Millisecond), r.client.PageLimit())
				if timeouts < 1 || r.client.PageLimit() >= slowLinkLimit {
					r.t.Errorf("no page timed out or the page size never shrank (%d timeouts, limit %d): the scenario proves nothing", timeouts, r.client.PageLimit())
				}
				if timeouts > 6 {
					r.t.Errorf("%d timeouts in one round: a timeout loop", timeouts)
				}
				if res.Applied < slowLinkLimit {
					r.t.Errorf("applied %d changes, want the %d corrections at least", res.Applied, slowLinkLimit)
				}
				if min := time.Duration(res.Bytes) * time.Second / (8 << 10); el < min {
					r.t.Error(fmt.Sprintf("%d bytes in %v: the link was not throttled", res.Bytes, el))
				}
			}},
		{name: "F20 a stale cache replays the first sync's first page for today's cursor",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Replay, ReplayOf: 1}}}
			},
			before: func(r *faultRig) {
				// An empty kiosk's first sync is a snapshot bootstrap: its one
				// /changes answer is the empty page at the snapshot's cursor.
				// A clean round brings the platform's changes, so that page
				// now lies behind today's cursor.
				if _, err := r.client.SyncOnce(r.t.Context()); err != nil {
					r.t.Fatal(err)
				}
				cur, _ := r.db.Cursor(r.t.Context())
				r.cursorBefore = cursorSeq(r.t, cur)
			},
			after: func(r *faultRig, res syncclient.Result, err error, _ time.Duration, _ int) {
				if credit.ErrorCode(err) != credit.EUNAVAILABLE || res.Applied != 0 {
					r.t.Errorf("replayed page: applied %d, err %v; want it refused as a transient fault", res.Applied, err)
				}
				cur, _ := r.db.Cursor(r.t.Context())
				if s := cursorSeq(r.t, cur); s != r.cursorBefore {
					r.t.Errorf("the replayed page moved the cursor from seq %d to %d", r.cursorBefore, s)
				}
			}},
	}, clockJumpCases()...)
}

// clockJumpCases: the kiosk's clock jumps after a round; the next round
// must go through (the platform refuses the first signature as clock skew
// and the client signs again with the platform's time), and the times the
// client reports stay the platform's.
func clockJumpCases() []faultCase {
	var cases []faultCase
	to1970 := func(now time.Time) time.Duration { return -now.Sub(time.Unix(0, 0)) }
	for _, j := range []struct {
		name string
		off  func(time.Time) time.Duration
		// fresh: the client starts with the wrong clock, before any
		// answer anchored the platform's time.
		fresh bool
	}{
		{"forward a day", func(time.Time) time.Duration { return 24 * time.Hour }, false},
		{"back a day", func(time.Time) time.Duration { return -24 * time.Hour }, false},
		{"to 1970", to1970, false},
		{"to 1970 before the client started", to1970, true},
	} {
		var off atomic.Int64
		cases = append(cases, faultCase{name: "F15 kiosk clock jumps " + j.name, noFault: true, firstOK: true,
			before: func(r *faultRig) {
				if j.fresh {
					off.Store(int64(j.off(time.Now())))
				}
				r.newClient(func(c *syncclient.Config) {
					c.Now = func() time.Time { return time.Now().Add(time.Duration(off.Load())) }
				})
				if !j.fresh {
					r.syncOK("before the jump")
					off.Store(int64(j.off(time.Now())))
				}
			},
			after: func(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, _ int) {
				now, ok := r.client.ServerNow()
				if !ok || time.Since(now).Abs() > 3*time.Second {
					r.t.Errorf("ServerNow = %v, %v; the platform's clock is %v", now, ok, time.Now())
				}
				if ls := r.client.LastSuccess(); time.Since(ls).Abs() > 3*time.Second {
					r.t.Errorf("LastSuccess = %v, want about %v", ls, time.Now())
				}
			}})
	}
	return cases
}

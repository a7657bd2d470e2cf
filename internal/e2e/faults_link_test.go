package e2e_test

// Link faults of sync.md §3: F8, a slow link on which full pages cannot
// arrive within the client's request timeout.

import (
	"fmt"
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
	return []faultCase{
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
	}
}

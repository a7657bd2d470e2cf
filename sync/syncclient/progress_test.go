package syncclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// TestProgressPercentAndDeletionLag runs rounds against a real platform:
// the bootstrap and the deltas report a percentage from Sync-Remaining;
// a tombstone the platform delivered but the ack did not cover (the ack
// here stops at the previous cursor, a day and a half later) comes back as
// a deletion lag of one for 30 h; the next round's ack covers it and the
// lag is 0.
func TestProgressPercentAndDeletionLag(t *testing.T) {
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{
		Devices: map[string]string{token: "kiosk-1"}, PageLimit: 2, Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	seed(t, srv, 3)
	var (
		mu          sync.Mutex
		shortAck    string // when set, acks are rewritten to this older cursor
		events      []Progress
		pastPlatDay bool
	)
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cur, late := shortAck, pastPlatDay
		mu.Unlock()
		if r.URL.Path == protocol.PathAck && cur != "" {
			_, _ = io.Copy(io.Discard, r.Body)
			b, _ := json.Marshal(protocol.AckV1{Cursor: cur})
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			if late {
				clock.Add(int64(30 * time.Hour))
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer hs.Close()
	store := newFakeStore()
	c := New(Config{BaseURL: hs.URL, Token: token, DeviceID: "kiosk-1", Outbox: store, Applier: store,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RetryMax: 1,
		OnProgress: func(p Progress) { mu.Lock(); events = append(events, p); mu.Unlock() }})
	round := func(name string) (Result, []Progress) {
		t.Helper()
		mu.Lock()
		events = nil
		mu.Unlock()
		res, err := c.SyncOnce(t.Context())
		if err != nil || !res.Acked {
			t.Fatalf("%s: %+v, %v", name, res, err)
		}
		mu.Lock()
		defer mu.Unlock()
		return res, append([]Progress(nil), events...)
	}
	// percents lists the percentages a phase reported, in order.
	percents := func(evs []Progress, ph Phase) []int {
		var out []int
		for _, e := range evs {
			if e.Phase == ph && e.Total > 0 {
				out = append(out, e.Percent())
			}
		}
		return out
	}

	// The first pull reads the whole feed: 6 changes in pages of 2.
	res, evs := round("first pull")
	if ps := percents(evs, PhasePull); res.Applied != 6 || len(ps) != 2 || ps[0] != 33 || ps[1] != 66 {
		t.Errorf("first pull: %d applied, percentages %v, want [33 66]", res.Applied, ps)
	}
	done := evs[len(evs)-1]
	if done.Phase != PhaseDone || done.Percent() != 100 || !done.DeletionLag.Known || done.DeletionLag.Waiting != 0 || done.DeletionLag.Oldest != 0 {
		t.Fatalf("after the first pull: %+v", done)
	}

	// A resync from a snapshot: the first page says how many rows come.
	if err := store.BeginSnapshot(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, evs = round("resync")
	// 6 rows in pages of 2: the snapshot needs a fourth, empty page to
	// say it is over, asked for at 100 %.
	if ps := percents(evs, PhaseResync); fmt.Sprint(ps) != "[33 66 100]" {
		t.Errorf("resync percentages %v, want [33 66 100]", ps)
	}
	cur, err := store.Cursor(t.Context())
	if err != nil || cur == "" {
		t.Fatalf("cursor %q, %v", cur, err)
	}

	if err := srv.WithdrawRecord(t.Context(), "R1", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	shortAck, pastPlatDay = cur, true
	mu.Unlock()
	res, evs = round("tombstone delivered, ack short of it")
	want := DeletionLag{Known: true, Waiting: 1, Oldest: 30 * time.Hour}
	if got := c.DeletionLag(); res.Deleted != 1 || got.Known != want.Known || got.Waiting != want.Waiting || got.Oldest != want.Oldest {
		t.Errorf("lag %+v after a round that deleted %d, want %+v", got, res.Deleted, want)
	}
	if l := evs[len(evs)-1].DeletionLag; l.Waiting != 1 || l.Oldest != 30*time.Hour {
		t.Errorf("the round's last report carries lag %+v", l)
	}

	mu.Lock()
	shortAck = ""
	mu.Unlock()
	_, evs = round("acked")
	if l := evs[len(evs)-1].DeletionLag; !l.Known || l.Waiting != 0 || l.Oldest != 0 {
		t.Errorf("after the ack the lag is %+v, want none", l)
	}
	if evs[0].DeletionLag.Waiting != 1 {
		t.Errorf("the next round starts with the last reported lag: %+v", evs[0].DeletionLag)
	}
}

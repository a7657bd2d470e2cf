package syncclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// The pipeline's pages cannot come out of order: the platform answers
// after random delays, yet there is never more than one snapshot request
// in flight, each asks after the key the page before it ended with, and
// the changes are applied exactly once each, in the platform's key order.
func TestSnapshotPipelineInOrder(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		rig := newSnapRig(t, 12)
		rnd := rand.New(rand.NewPCG(seed, seed))   // the platform's, under mu
		applyRnd := rand.New(rand.NewPCG(seed, 0)) // the apply loop's
		var mu sync.Mutex
		inFlight, maxInFlight := 0, 0
		lastAfter, chainBroken := "", ""
		rig.serve = func(_ int, w http.ResponseWriter, r *http.Request, next http.Handler) {
			mu.Lock()
			inFlight++
			maxInFlight = max(maxInFlight, inFlight)
			if after := r.URL.Query().Get("after"); after != lastAfter && chainBroken == "" {
				chainBroken = after + " asked for after a page that ended at " + lastAfter
			}
			delay := time.Duration(rnd.IntN(3000)) * time.Microsecond
			mu.Unlock()
			time.Sleep(delay)
			r.Header.Del("Accept-Encoding") // to read the trailer here
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			tr, _ := protocol.PeekTrailer(rec.Body.Bytes())
			mu.Lock()
			inFlight--
			lastAfter = tr.After
			mu.Unlock()
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		}
		var applied []string
		a := &slowApplier{fakeStore: rig.f.store}
		a.hook = func(_ int, changes []credit.Change) error {
			time.Sleep(time.Duration(applyRnd.IntN(2000)) * time.Microsecond)
			for _, c := range changes {
				applied = append(applied, string(c.Type[0])+"/"+c.ID)
			}
			return nil
		}
		c := rig.f.client(func(cfg *Config) { cfg.Applier = a })
		if _, err := c.SyncOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if maxInFlight != 1 || chainBroken != "" {
			t.Errorf("seed %d: %d snapshot requests in flight at once; %s", seed, maxInFlight, chainBroken)
		}
		mu.Unlock()
		if len(applied) != 24 {
			t.Fatalf("seed %d: %d changes applied, want 24", seed, len(applied))
		}
		for i := 1; i < len(applied); i++ {
			if applied[i] <= applied[i-1] && !(applied[i][0] == 'r' && applied[i-1][0] == 's') {
				t.Fatalf("seed %d: %s applied after %s", seed, applied[i], applied[i-1])
			}
		}
	}
}

// A cancelled round stops the pipeline, whether the apply loop is writing
// a page (the pipeline full behind it) or waiting for one the platform
// has not answered yet: SyncOnce returns the cancellation, the progress
// names the last page applied, and no pipeline goroutine is left.
func TestSnapshotPipelineCancel(t *testing.T) {
	tests := []struct {
		name    string
		inApply bool // cancel inside page 2's apply; else while page 3 is withheld
	}{{"while a page is written", true}, {"while waiting for a page", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rig := newSnapRig(t, 8)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rig.serve = func(page int, w http.ResponseWriter, r *http.Request, next http.Handler) {
				if !tt.inApply && page == 3 {
					cancel()
					select { // withheld until the client gives up
					case <-r.Context().Done():
					case <-time.After(5 * time.Second):
					}
					return
				}
				next.ServeHTTP(w, r)
			}
			a := &slowApplier{fakeStore: rig.f.store}
			a.hook = func(page int, _ []credit.Change) error {
				if tt.inApply && page == 2 {
					rig.waitAsked(2 + snapshotDepth) // the pipeline has run ahead
					cancel()
					return context.Canceled // as the store answers a cancelled write
				}
				return nil
			}
			c := rig.f.client(func(cfg *Config) { cfg.Applier = a })
			start := time.Now()
			_, err := c.SyncOnce(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled round: %v", err)
			}
			if d := time.Since(start); d > 4*time.Second { // a hang guard, not a timing assertion
				t.Errorf("the round took %v to end after cancel", d)
			}
			if n := pipelineGoroutines(); n != 0 {
				t.Errorf("%d pipeline goroutines left after the round", n)
			}
			// The progress names the last page the store took: page 1
			// when page 2's apply was cancelled; while page 3 was withheld,
			// page 2 — or page 1, or none, if the cancel came while the
			// pipeline was still ahead of the apply loop.
			a.mu.Lock()
			applied := a.applied
			a.mu.Unlock()
			if tt.inApply && applied != 1 || applied > 2 {
				t.Fatalf("%d pages applied", applied)
			}
			_, want := rig.asked(applied + 1)
			if _, after, _, _ := rig.f.store.SnapshotProgress(t.Context()); after != want {
				t.Errorf("progress after %q, want %q (the last of the %d pages applied)", after, want, applied)
			}
		})
	}
}

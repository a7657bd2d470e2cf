package syncclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// slowApplier is the fake store with a hook run inside each snapshot
// page's apply.
type slowApplier struct {
	*fakeStore
	mu      sync.Mutex
	pages   int
	applied int // pages the store took
	hook    func(page int, changes []credit.Change) error
}

func (a *slowApplier) ApplySnapshotPage(ctx context.Context, changes []credit.Change, token, after string) error {
	a.mu.Lock()
	a.pages++
	n := a.pages
	a.mu.Unlock()
	if err := a.hook(n, changes); err != nil {
		return err
	}
	err := a.fakeStore.ApplySnapshotPage(ctx, changes, token, after)
	if err == nil {
		a.mu.Lock()
		a.applied++
		a.mu.Unlock()
	}
	return err
}

// afterLog records the after key of every GET /snapshot.
type afterLog struct {
	mu     sync.Mutex
	afters []string
}

func (l *afterLog) add(after string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.afters = append(l.afters, after)
}

func (l *afterLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.afters...)
}

// While a snapshot page is written, the next one is already asked for;
// a page whose apply failed is not followed by its prefetched successor:
// the next round asks again from the saved progress, and the cache ends
// equal to the platform.
func TestResyncPrefetch(t *testing.T) {
	tests := []struct {
		name string
		fail int // the page whose first apply fails (0: none)
	}{
		{"overlap", 0},
		{"apply fails with the next page prefetched", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 2)
			seed(t, f.srv, 5) // 5 subjects + 5 records = 5 pages of 2
			reqs := &afterLog{}
			f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				if r.URL.Path == protocol.PathSnapshot {
					reqs.add(r.URL.Query().Get("after"))
				}
				next.ServeHTTP(w, r)
			})
			failed := false
			overlapped := 0
			a := &slowApplier{fakeStore: f.store}
			a.hook = func(page int, changes []credit.Change) error {
				if len(changes) == 0 || changes[len(changes)-1].ID == "R4" {
					return nil // the last page: nothing follows it
				}
				// Wait (bounded) for the request of the page after this one.
				deadline := time.Now().Add(5 * time.Second)
				for len(reqs.get()) <= page && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				if len(reqs.get()) > page {
					overlapped++
				}
				if page == tt.fail && !failed {
					failed = true
					return errors.New("disk full")
				}
				return nil
			}
			if err := f.store.BeginSnapshot(t.Context()); err != nil {
				t.Fatal(err)
			}
			c := f.client(func(cfg *Config) { cfg.Applier = a })
			_, err := c.SyncOnce(t.Context())
			if tt.fail > 0 {
				if err == nil || !strings.Contains(err.Error(), "disk full") {
					t.Fatalf("round with a failing apply: %v", err)
				}
				_, after, active, _ := f.store.SnapshotProgress(t.Context())
				// The pipeline may have run ahead (at most its depth, the
				// page being decoded and the one being read), never more.
				afters := reqs.get()
				if !active || len(afters) < tt.fail+1 || len(afters) > tt.fail+2+snapshotDepth || after != afters[tt.fail-1] {
					t.Fatalf("progress after the failure: active %v, after %q, requests %q", active, after, afters)
				}
				if _, err = c.SyncOnce(t.Context()); err != nil {
					t.Fatal(err)
				}
				// The next round starts at the saved key. A request the
				// first round's pipeline had in flight when it stopped can
				// still reach the server after SyncOnce returned and be
				// logged first: such a stale request is for a page past the
				// saved one (the new round asks for it again later), never
				// for one before it.
				next := reqs.get()[len(afters):]
				i := slices.Index(next, after)
				if i < 0 || i > snapshotDepth+2 {
					t.Fatalf("the next round's requests %q do not start at the saved %q", next, after)
				}
				for _, stale := range next[:i] {
					if !slices.Contains(next[i+1:], stale) {
						t.Errorf("the next round asked after %q before the saved %q (requests %q)", stale, after, next)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if overlapped < 4 {
				t.Errorf("the next page was asked for during %d of the first 4 page applies", overlapped)
			}
			f.store.mu.Lock()
			defer f.store.mu.Unlock()
			if f.store.snapActive || len(f.store.records) != 5 || len(f.store.subjects) != 5 {
				t.Errorf("after the resync: active %v, %d records, %d subjects", f.store.snapActive, len(f.store.records), len(f.store.subjects))
			}
		})
	}
}

// snapRig is a platform of n subjects and n records in pages of 2 and a
// client in an unfinished resync, whose GET /snapshot requests go through
// serve (nil: the platform as it is). It numbers the snapshot pages by
// their distinct after keys, in the order first asked for.
type snapRig struct {
	f     *fixture
	mu    sync.Mutex
	keys  []string // distinct after keys, in order: page i+1 is keys[i]
	serve func(page int, w http.ResponseWriter, r *http.Request, next http.Handler)
}

func newSnapRig(t *testing.T, n int) *snapRig {
	t.Helper()
	rig := &snapRig{f: newFixture(t, 2)}
	seed(t, rig.f.srv, n)
	rig.f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != protocol.PathSnapshot {
			next.ServeHTTP(w, r)
			return
		}
		rig.mu.Lock()
		after := r.URL.Query().Get("after")
		page := slices.Index(rig.keys, after) + 1
		if page == 0 {
			rig.keys = append(rig.keys, after)
			page = len(rig.keys)
		}
		serve := rig.serve
		rig.mu.Unlock()
		if serve == nil {
			next.ServeHTTP(w, r)
			return
		}
		serve(page, w, r, next)
	})
	if err := rig.f.store.BeginSnapshot(t.Context()); err != nil {
		t.Fatal(err)
	}
	return rig
}

// asked returns how many distinct snapshot pages were asked for and the
// after key of page i (1-based; "" when not asked for).
func (rig *snapRig) asked(i int) (int, string) {
	rig.mu.Lock()
	defer rig.mu.Unlock()
	if i < 1 || i > len(rig.keys) {
		return len(rig.keys), ""
	}
	return len(rig.keys), rig.keys[i-1]
}

// waitAsked waits (bounded) until page i was asked for.
func (rig *snapRig) waitAsked(i int) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if n, _ := rig.asked(i); n >= i {
			return true
		}
	}
	return false
}

// pipelineGoroutines counts the running goroutines of snapshot pipelines.
func pipelineGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("syncclient.(*Client).fetchAhead")) + bytes.Count(buf, []byte("syncclient.(*Client).decodeAhead"))
}

// corruptPage serves the page unencoded with one byte of an op line
// changed: its trailer still names the next page, but its hash no longer
// matches.
func corruptPage(w http.ResponseWriter, r *http.Request, next http.Handler) {
	r.Header.Del("Accept-Encoding")
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if i := bytes.Index(body, []byte(`"id":"`)); i >= 0 {
		body[i+6] ^= 1
	}
	w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// A page that fails while the pipeline holds the pages before it (at
// each depth the pipeline reaches while page 1 is being written) comes
// out in its place, after the pages before it, which are applied; the
// apply loop gets its error, the saved progress names it, nothing is
// asked for after a failed request and at most the one page its trailer
// named after a page that fails verification; no pipeline goroutine
// outlives the round, and the next round goes on from the saved progress.
func TestSnapshotPipelineFailureAtDepth(t *testing.T) {
	kinds := []struct {
		name    string
		serve   func(w http.ResponseWriter, r *http.Request, next http.Handler)
		corrupt bool
	}{
		{"corrupt page", corruptPage, true},
		{"platform error", func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, false},
	}
	for _, kind := range kinds {
		// With page 1 held in its apply, the pipeline asks for pages 2
		// to snapshotDepth+3 (depth pages ready, one decoding, one read).
		for fail := 2; fail <= snapshotDepth+3; fail++ {
			t.Run(fmt.Sprintf("%s at page %d", kind.name, fail), func(t *testing.T) {
				rig := newSnapRig(t, 8) // 8 pages of 2
				var healed atomic.Bool
				rig.serve = func(page int, w http.ResponseWriter, r *http.Request, next http.Handler) {
					if page == fail && !healed.Load() {
						kind.serve(w, r, next)
						return
					}
					next.ServeHTTP(w, r)
				}
				reached := false
				a := &slowApplier{fakeStore: rig.f.store}
				a.hook = func(page int, _ []credit.Change) error {
					if page == 1 {
						reached = rig.waitAsked(fail)
					}
					return nil
				}
				c := rig.f.client(func(cfg *Config) { cfg.Applier = a })
				_, err := c.SyncOnce(t.Context())
				if !reached {
					t.Errorf("page %d was not asked for while page 1 was written", fail)
				}
				if err == nil || errors.Is(err, protocol.ErrMalformedPage) != kind.corrupt {
					t.Fatalf("round with page %d failing: %v", fail, err)
				}
				if n := pipelineGoroutines(); n != 0 {
					t.Errorf("%d pipeline goroutines left after the round", n)
				}
				asked, failKey := rig.asked(fail)
				_, after, active, _ := rig.f.store.SnapshotProgress(t.Context())
				if a.pages != fail-1 || !active || after != failKey {
					t.Errorf("applied %d pages (want %d), progress after %q (want %q), active %v", a.pages, fail-1, after, failKey, active)
				}
				if max := fail + map[bool]int{true: 1}[kind.corrupt]; asked > max {
					t.Errorf("%d pages asked for, at most %d", asked, max)
				}
				healed.Store(true)
				if _, err := c.SyncOnce(t.Context()); err != nil {
					t.Fatal(err)
				}
				st := rig.f.store
				st.mu.Lock()
				defer st.mu.Unlock()
				if st.snapActive || len(st.records) != 8 || len(st.subjects) != 8 {
					t.Errorf("after the next round: active %v, %d records, %d subjects", st.snapActive, len(st.records), len(st.subjects))
				}
			})
		}
	}
}

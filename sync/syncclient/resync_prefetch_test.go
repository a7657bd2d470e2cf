package syncclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// slowApplier is the fake store with a hook run inside each snapshot
// page's apply.
type slowApplier struct {
	*fakeStore
	mu    sync.Mutex
	pages int
	hook  func(page int, changes []credit.Change) error
}

func (a *slowApplier) ApplySnapshotPage(ctx context.Context, changes []credit.Change, token, after string) error {
	a.mu.Lock()
	a.pages++
	n := a.pages
	a.mu.Unlock()
	if err := a.hook(n, changes); err != nil {
		return err
	}
	return a.fakeStore.ApplySnapshotPage(ctx, changes, token, after)
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
				afters := reqs.get()
				if !active || len(afters) != tt.fail+1 || after != afters[tt.fail-1] {
					t.Fatalf("progress after the failure: active %v, after %q, requests %q", active, after, afters)
				}
				if _, err = c.SyncOnce(t.Context()); err != nil {
					t.Fatal(err)
				}
				if got := reqs.get()[tt.fail+1]; got != after {
					t.Errorf("the next round asked after %q, want the saved %q", got, after)
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

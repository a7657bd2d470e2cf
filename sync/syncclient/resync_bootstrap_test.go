package syncclient

import (
	"context"
	"errors"
	"testing"
)

// emptyFake is the fake store with the EmptyCache port.
type emptyFake struct {
	*fakeStore
	empty bool
	err   error
}

func (e *emptyFake) CacheEmpty(context.Context) (bool, error) { return e.empty, e.err }

// An Applier that says its cache is empty is bootstrapped by snapshot
// (not counted as a resync); one that says it is not, or cannot say,
// reads the feed or fails the round with nothing applied.
func TestBootstrapDecision(t *testing.T) {
	broken := errors.New("disk gone")
	tests := []struct {
		name      string
		empty     bool
		err       error
		wantBegin int
		wantErr   bool
	}{
		{"empty cache bootstraps", true, nil, 1, false},
		{"cache with data reads the feed", false, nil, 0, false},
		{"cannot tell: round fails", false, broken, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3)
			seed(t, f.srv, 5)
			app := &emptyFake{fakeStore: f.store, empty: tt.empty, err: tt.err}
			c := f.client(func(cfg *Config) { cfg.Applier = app })
			res, err := c.SyncOnce(t.Context())
			if tt.wantErr {
				if !errors.Is(err, broken) {
					t.Fatalf("err %v, want the store's error", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			f.store.mu.Lock()
			defer f.store.mu.Unlock()
			if f.store.begins != tt.wantBegin || res.Resyncs != 0 {
				t.Errorf("BeginSnapshot called %d times, %d resyncs; want %d and 0", f.store.begins, res.Resyncs, tt.wantBegin)
			}
			if want := map[bool]int{true: 0, false: 5}[tt.wantErr]; len(f.store.records) != want {
				t.Errorf("%d records cached, want %d", len(f.store.records), want)
			}
		})
	}
}

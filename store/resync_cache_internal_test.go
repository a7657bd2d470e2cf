package store

import (
	"context"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
)

// TestSnapshotCacheSizeReset runs with a single pooled connection, so the
// connection a snapshot page raised to the bulk page cache is the one every
// later query uses: however the snapshot ends (finished, a page cut off,
// the finish cut off), that connection is back to SQLite's default.
func TestSnapshotCacheSizeReset(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	for _, tt := range []struct {
		name    string
		cancel  string // the failpoint at which the caller's ctx is cancelled ("" none)
		finish  bool   // FinishSnapshot is called
		wantErr bool
	}{
		{name: "finished", finish: true},
		{name: "page cut off", cancel: "store.snapshot.mid-page", wantErr: true},
		{name: "finish cut off", cancel: "store.snapshot.before-sweep", finish: true, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := openInternal(t, "c.db")
			d.db.SetMaxOpenConns(1)
			cacheSize := func() int {
				t.Helper()
				var v int
				if err := d.db.QueryRowContext(t.Context(), "PRAGMA cache_size").Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			if got := cacheSize(); got != -defaultCacheKiB {
				t.Fatalf("cache_size after Open = %d, want %d", got, -defaultCacheKiB)
			}
			if err := d.BeginSnapshot(t.Context()); err != nil {
				t.Fatal(err)
			}
			if tt.cancel == "" || tt.cancel == "store.snapshot.before-sweep" {
				// one whole page first: it leaves the bulk cache for the next
				if err := d.ApplySnapshotPage(t.Context(), nil, "T", "a"); err != nil {
					t.Fatal(err)
				}
				if got := cacheSize(); got != -bulkCacheKiB {
					t.Fatalf("cache_size between pages = %d, want the bulk %d", got, -bulkCacheKiB)
				}
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancel != "" {
				failpoint.Observe(func(name string) {
					if name == tt.cancel {
						cancel()
					}
				})
				defer failpoint.Observe(nil)
			}
			var err error
			if tt.finish {
				_, err = d.FinishSnapshot(ctx, "c1", 1, at)
			} else {
				err = d.ApplySnapshotPage(ctx, nil, "T", "b")
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			failpoint.Observe(nil)
			if got := cacheSize(); got != -defaultCacheKiB {
				t.Errorf("cache_size after the snapshot ended = %d, want the default %d", got, -defaultCacheKiB)
			}
		})
	}
}

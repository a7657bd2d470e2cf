package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/internal/leakcheck"
	"github.com/gansu-credit/credit/store"
	"go.uber.org/goleak"
)

// TestCloseLeavesNothingOpen is invariant I9 of sync.md for the cache:
// once Close returns, no goroutine is left (the name index a bootstrap
// builds beside the cache runs on its own) and no file of the cache, its
// journals or the scratch index is open — closed mid-bootstrap, after
// one, or with nothing done.
func TestCloseLeavesNothingOpen(t *testing.T) {
	tests := []struct {
		name          string
		pages, finish bool
	}{{"nothing done", false, false}, {"mid-bootstrap, name index building", true, false}, {"after a bootstrap", true, true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs, recs := nameBuildSubjects()
			ctx := t.Context()
			fds := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent()
			db, err := store.Open(ctx, filepath.Join(t.TempDir(), "boot.db"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.pages {
				if err := db.BeginSnapshot(ctx); err != nil {
					t.Fatal(err)
				}
				for i, p := range snapshotPages(subs, recs, 500) {
					if err := db.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if tt.finish {
				if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			goleak.VerifyNone(t, base)
			leakcheck.Check(t, fds)
		})
	}
}

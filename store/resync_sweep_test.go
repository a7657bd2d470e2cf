package store_test

import (
	"path/filepath"
	"slices"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

// TestSweepPerTable: the sweep probes subjects and records apart (a
// bootstrap skips both), so a snapshot that re-sends every subject but
// not every record still sweeps the records it lacks, one that re-sends
// every record but not every subject sweeps the subjects, each with its
// tombstone, and a snapshot that re-sends everything sweeps nothing.
func TestSweepPerTable(t *testing.T) {
	a := org(uscc("91620102000000031"), "兰州甲商贸有限公司")
	b := org(uscc("91620102000000032"), "兰州乙商贸有限公司")
	ra, rb := record("R-a", a.ID, "甲的内容", 1), record("R-b", b.ID, "乙的内容", 1)
	for _, tt := range []struct {
		name      string
		snapshot  []credit.Change
		swept     int
		tombstone string // the id of the tombstone the sweep leaves ("" none)
	}{
		{"everything re-sent", []credit.Change{putSubject(1, a), putSubject(2, b), putRecord(3, ra), putRecord(4, rb)}, 0, ""},
		{"a record missing", []credit.Change{putSubject(1, a), putSubject(2, b), putRecord(3, ra)}, 1, "R-b"},
		{"a subject missing", []credit.Change{putSubject(1, a), putRecord(3, ra), putRecord(4, rb)}, 1, b.ID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			db, err := store.Open(ctx, filepath.Join(t.TempDir(), "sweep.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// a bootstrap first: nothing to sweep
			if err := db.BeginSnapshot(ctx); err != nil {
				t.Fatal(err)
			}
			all := []credit.Change{putSubject(1, a), putSubject(2, b), putRecord(3, ra), putRecord(4, rb)}
			if err := db.ApplySnapshotPage(ctx, all, "T1", "x"); err != nil {
				t.Fatal(err)
			}
			if n, err := db.FinishSnapshot(ctx, "c1", 10, fixedNow); err != nil || n != 0 {
				t.Fatalf("bootstrap swept %d, %v; want 0", n, err)
			}
			if err := db.BeginSnapshot(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.ApplySnapshotPage(ctx, tt.snapshot, "T2", "y"); err != nil {
				t.Fatal(err)
			}
			n, err := db.FinishSnapshot(ctx, "c2", 20, fixedNow)
			if err != nil || n != tt.swept {
				t.Fatalf("swept %d, %v; want %d", n, err, tt.swept)
			}
			tombs, err := db.Tombstones(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, tb := range tombs {
				ids = append(ids, tb.ID)
			}
			switch {
			case tt.tombstone == "" && len(ids) != 0:
				t.Errorf("tombstones %v, want none", ids)
			case tt.tombstone != "" && !slices.Equal(ids, []string{tt.tombstone}):
				t.Errorf("tombstones %v, want [%s]", ids, tt.tombstone)
			}
			if tt.tombstone == b.ID {
				if _, err := db.Subject(ctx, b.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
					t.Errorf("swept subject still found: %v", err)
				}
			}
			recs, err := db.RecordsOf(ctx, b.ID)
			if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
				t.Fatal(err)
			}
			// a record re-sent stays, even when its subject is swept
			if want := tt.tombstone != "R-b"; (len(recs) == 1) != want {
				t.Errorf("records of b: %d, want kept: %v", len(recs), want)
			}
		})
	}
}

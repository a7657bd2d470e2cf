package store

import (
	"fmt"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestBulkStmts: snapshot pages share one pool statement for their full
// batches (prepared once, not per page); FinishSnapshot and Close release
// it; every record arrives, remainders included.
func TestBulkStmts(t *testing.T) {
	ctx := t.Context()
	d, _ := openInternal(t, "c.db")
	if err := d.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	pages := checkpointPages(3, 2*snapBatch+7) // two full batches and a remainder each
	for i, p := range pages {
		if err := d.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		if n := d.bulk.prepared(); n != 1 {
			t.Fatalf("after page %d: %d pool statements, want 1 (the records' full batch)", i, n)
		}
	}
	if _, err := d.FinishSnapshot(ctx, "c1", 1, time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)); err != nil {
		t.Fatal(err)
	}
	if n := d.bulk.prepared(); n != 0 {
		t.Errorf("after FinishSnapshot: %d pool statements, want 0", n)
	}
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM records`).Scan(&n); err != nil || n != 3*(2*snapBatch+7) {
		t.Fatalf("records = %d, %v; want %d", n, err, 3*(2*snapBatch+7))
	}
}

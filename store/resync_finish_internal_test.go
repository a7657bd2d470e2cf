package store

import (
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestFinishIndexesRecordsBeforeNameBuild: FinishSnapshot of a bootstrap
// builds records_subject while the name index built beside the cache is
// still running (here: held until the index appears), then finishes with
// the fallback rebuild of the name index when that build fails.
func TestFinishIndexesRecordsBeforeNameBuild(t *testing.T) {
	ctx := t.Context()
	d, _ := openInternal(t, "c.db")
	if err := d.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.ApplySnapshotPage(ctx, checkpointPages(1, 10)[0], "T", "x"); err != nil {
		t.Fatal(err)
	}
	hasIndex := func() bool {
		t.Helper()
		var n int
		if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'records_subject'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	if hasIndex() {
		t.Fatal("records_subject exists during the bootstrap; the test proves nothing")
	}
	var gen int64
	if err := d.db.QueryRowContext(ctx, `SELECT target_gen FROM resync_state WHERE id = 1`).Scan(&gen); err != nil {
		t.Fatal(err)
	}
	// A name build that runs until the test lets it end (with an error).
	held := newNameBuild(gen, d.path)
	held.started, held.cancel = true, func() {}
	d.setNameBuild(held)

	done := make(chan error, 1)
	go func() {
		_, err := d.FinishSnapshot(ctx, "c1", 1, time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China))
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !hasIndex() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	indexed := hasIndex()
	held.err = errors.New("held by the test")
	close(held.done)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !indexed {
		t.Error("records_subject was not built while the name build ran")
	}
	if got, err := d.SearchOrganisations(ctx, "兰州", 5); err != nil || len(got) != 1 {
		t.Errorf("search after the fallback name index: %d hits, %v", len(got), err)
	}
}

package store_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// bootstrapPages is a snapshot of 1,000,000 records with their subjects,
// in the server's page order (subjects, then records, each by id) and
// pages of protocol.MaxPageLimit ops; built once.
var bootstrapPages = sync.OnceValues(func() ([][]credit.Change, int) {
	ds := synth.Generate(11, 505000)
	subs, recs := ds.Subjects, ds.Records
	if len(recs) > 1_000_000 {
		recs = recs[:1_000_000]
	}
	slices.SortFunc(subs, func(a, b credit.Subject) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(recs, func(a, b credit.Record) int { return strings.Compare(a.ID, b.ID) })
	pages := snapshotPages(subs, recs, 5000)
	return pages, len(recs)
})

// BenchmarkBootstrap1M applies a snapshot of 1,000,000 records (and their
// ~500,000 subjects, name index included) into an empty cache through the
// resync path (BeginSnapshot, ApplySnapshotPage per page, FinishSnapshot)
// and reports records/s and rows/s (subjects + records).
func BenchmarkBootstrap1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M-record bootstrap skipped under -short")
	}
	pages, nrec := bootstrapPages()
	rows := 0
	for _, p := range pages {
		rows += len(p)
	}
	ctx := b.Context()
	var elapsed, applying time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "boot.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		if err := db.BeginSnapshot(ctx); err != nil {
			b.Fatal(err)
		}
		for i, p := range pages {
			if err := db.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
				b.Fatal(err)
			}
		}
		pagesDone := time.Since(start)
		if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		elapsed += time.Since(start)
		applying += pagesDone
		if got, err := db.SearchOrganisations(ctx, "兰州", 5); err != nil || len(got) == 0 {
			b.Fatalf("name search after bootstrap: %d hits, %v", len(got), err)
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(nrec*b.N)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
	// The pages alone, without FinishSnapshot's sweep and index builds.
	b.ReportMetric(float64(nrec*b.N)/applying.Seconds(), "page-records/s")
}

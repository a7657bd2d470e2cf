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
	"github.com/gansu-credit/credit/internal/cputime"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// bootstrapPages returns a snapshot of at most maxRecords records with
// the subjects of synth seed 11 at that size, in the server's page order
// (subjects, then records, each by id) and pages of
// protocol.MaxPageLimit ops.
func bootstrapPages(subjects, maxRecords int) ([][]credit.Change, int) {
	ds := synth.Generate(11, subjects)
	subs, recs := ds.Subjects, ds.Records
	if len(recs) > maxRecords {
		recs = recs[:maxRecords]
	}
	slices.SortFunc(subs, func(a, b credit.Subject) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(recs, func(a, b credit.Record) int { return strings.Compare(a.ID, b.ID) })
	return snapshotPages(subs, recs, 5000), len(recs)
}

// bootstrap1M and bootstrap200K are built once per process.
var (
	bootstrap1M   = sync.OnceValues(func() ([][]credit.Change, int) { return bootstrapPages(505000, 1_000_000) })
	bootstrap200K = sync.OnceValues(func() ([][]credit.Change, int) { return bootstrapPages(101000, 200_000) })
)

// BenchmarkBootstrap1M applies a snapshot of 1,000,000 records (and their
// ~500,000 subjects, name index included) into an empty cache through the
// resync path (BeginSnapshot, ApplySnapshotPage per page, FinishSnapshot)
// and reports records/s and rows/s (subjects + records).
func BenchmarkBootstrap1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M-record bootstrap skipped under -short")
	}
	benchBootstrap(b, bootstrap1M)
}

// BenchmarkBootstrap200K is BenchmarkBootstrap1M at a fifth of the size
// (≈ 200,000 records, 101,000 subjects), quick enough to iterate on.
func BenchmarkBootstrap200K(b *testing.B) {
	benchBootstrap(b, bootstrap200K)
}

func benchBootstrap(b *testing.B, data func() ([][]credit.Change, int)) {
	pages, nrec := data()
	rows := 0
	for _, p := range pages {
		rows += len(p)
	}
	ctx := b.Context()
	var elapsed, applying, finishing, cpu, cpuPages time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "boot.db"))
		if err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), cputime.Process()
		b.StartTimer()
		if err := db.BeginSnapshot(ctx); err != nil {
			b.Fatal(err)
		}
		for i, p := range pages {
			if err := db.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
				b.Fatal(err)
			}
		}
		pagesDone, cpuPagesDone := time.Since(start), cputime.Process()-cpu0
		if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		elapsed += time.Since(start)
		cpu += cputime.Process() - cpu0
		cpuPages += cpuPagesDone
		applying += pagesDone
		finishing += time.Since(start) - pagesDone
		if got, err := db.SearchOrganisations(ctx, "兰州", 5); err != nil || len(got) == 0 {
			b.Fatalf("name search after bootstrap: %d hits, %v", len(got), err)
		}
		db.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(nrec)*n/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(rows)*n/elapsed.Seconds(), "rows/s")
	// The pages alone, without FinishSnapshot's sweep and index builds.
	b.ReportMetric(float64(nrec)*n/applying.Seconds(), "page-records/s")
	b.ReportMetric(applying.Seconds()/n, "pages-s")
	b.ReportMetric(finishing.Seconds()/n, "finish-s")
	// CPU seconds of the whole process (all goroutines, SQLite included)
	// per bootstrap: comparable across runs on a shared machine.
	b.ReportMetric(cpu.Seconds()/n, "cpu-s")
	b.ReportMetric(cpuPages.Seconds()/n, "pages-cpu-s")
}

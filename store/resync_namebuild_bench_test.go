package store

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/cputime"
	"github.com/gansu-credit/credit/synth"
)

// benchOrgs1M are the organisations of the 1M-record bootstrap (synth seed
// 11, 505,000 subjects), as ApplySnapshotPage hands them to a nameBuild.
var benchOrgs1M = sync.OnceValue(func() []orgName {
	var orgs []orgName
	for _, s := range synth.Generate(11, 505000).Subjects {
		if s.Kind == credit.LegalPerson {
			orgs = append(orgs, orgName{id: s.ID, search: string(normName(s.Name))})
		}
	}
	slices.SortFunc(orgs, func(a, b orgName) int { return strings.Compare(a.id, b.id) })
	return orgs
})

// BenchmarkNameIndexBeside1M builds the name index of the 1M bootstrap's
// ≈ 200,000 organisations beside the cache (the nameBuild goroutine's
// work) and copies it into an empty cache (FinishSnapshot's part, on the
// critical path). It reports both in wall and CPU seconds, and the rows.
func BenchmarkNameIndexBeside1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M name index skipped under -short")
	}
	orgs := benchOrgs1M()
	ctx := b.Context()
	var build, buildCPU, cp, cpCPU time.Duration
	var rows int
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		d, err := Open(ctx, filepath.Join(dir, "c.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0, c0 := time.Now(), cputime.Process()
		if _, _, err := buildAuxNameIndex(ctx, filepath.Join(dir, "aux.db"), slices.Clone(orgs)); err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), cputime.Process()
		err = d.inAuxTx(ctx, &auxIndex{path: filepath.Join(dir, "aux.db"), ok: true}, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO main.name_grams SELECT * FROM aux.name_grams`)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		build, buildCPU = build+t1.Sub(t0), buildCPU+c1-c0
		cp, cpCPU = cp+time.Since(t1), cpCPU+cputime.Process()-c1
		b.StopTimer()
		if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM name_grams`).Scan(&rows); err != nil {
			b.Fatal(err)
		}
		d.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(build.Seconds()/n, "build-s")
	b.ReportMetric(buildCPU.Seconds()/n, "build-cpu-s")
	b.ReportMetric(cp.Seconds()/n, "copy-s")
	b.ReportMetric(cpCPU.Seconds()/n, "copy-cpu-s")
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(len(orgs)), "orgs")
}

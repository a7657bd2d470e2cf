package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// benchSubjects is the size of the synthetic database of the benchmarks.
const benchSubjects = 10000

func BenchmarkSubjectLookup(b *testing.B) {
	db, ds := openSynth(b, 1, benchSubjects)
	ctx := b.Context()
	i := 0
	for b.Loop() {
		if _, err := db.Subject(ctx, ds.Subjects[i%len(ds.Subjects)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkRecordsOf(b *testing.B) {
	db, ds := openSynth(b, 1, benchSubjects)
	ctx := b.Context()
	i := 0
	for b.Loop() {
		if _, err := db.RecordsOf(ctx, ds.Subjects[i%len(ds.Subjects)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSearch2Char(b *testing.B) {
	db, _ := openSynth(b, 1, benchSubjects)
	ctx := b.Context()
	queries := []string{"黄河", "商贸", "兰州", "祁连", "鑫源", "合作"}
	i := 0
	for b.Loop() {
		if _, err := db.SearchOrganisations(ctx, queries[i%len(queries)], store.DefaultSearchLimit); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSearch1Char(b *testing.B) {
	db, _ := openSynth(b, 1, benchSubjects)
	ctx := b.Context()
	for b.Loop() {
		if _, err := db.SearchOrganisations(ctx, "州", store.DefaultSearchLimit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	ds := synth.Generate(1, benchSubjects)
	ctx := b.Context()
	dir := b.TempDir()
	n := 0
	for b.Loop() {
		db, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("load%d.db", n)))
		if err != nil {
			b.Fatal(err)
		}
		n++
		if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(len(ds.Subjects)+len(ds.Records))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

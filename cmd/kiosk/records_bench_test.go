package main

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui/uitest"
	"github.com/gansu-credit/credit/internal/cputime"
)

// manyRecordsDB writes the app fixture into a fresh store file with the
// demo holder's records made up to n (the fixture has 4), spread over the
// three categories.
func manyRecordsDB(tb testing.TB, n int) string {
	tb.Helper()
	subjects, records := apptest.FixtureData()
	held := 0
	for _, r := range records {
		if r.SubjectID == apptest.PersonID {
			held++
		}
	}
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, credit.China)
	for i := range n - held {
		records = append(records, credit.Record{ID: fmt.Sprintf("bulk-%04d", i), SubjectID: apptest.PersonID, Category: credit.Categories[i%3],
			Title: fmt.Sprintf("行政许可：食品经营许可 %04d", i), SourceUnit: "兰州市市场监督管理局", DocumentNo: fmt.Sprintf("兰市监许〔2025〕%d号", i),
			LegalBasis: "《行政许可法》第三十九条", DecisionDate: day.AddDate(0, 0, -i), Version: 1})
	}
	return storeFile(tb, subjects, records)
}

// BenchmarkCardToRecordsMany is card placed → the records screen of a
// holder with 10 and with 2,000 records on screen, then card taken off →
// wiped, over a real store file (as BenchmarkCardToRecords). heap-KB is
// the live heap a card read adds (the holder's data in the session and the
// records screen): after a GC with the records on screen, minus after a GC
// on the home screen before it, the second time round.
func BenchmarkCardToRecordsMany(b *testing.B) {
	for _, n := range []int{10, 2000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			test.NewTempApp(b)
			path := manyRecordsDB(b, n)
			watch := &instantWatch{changes: make(chan creditapp.CardChange)}
			w, pump, done := kioskOver(b, path, watch)
			defer done()
			card := apptest.PersonCard()
			waitFor := func(shown bool) {
				for deadline := time.Now().Add(60 * time.Second); uitest.Shows(w, apptest.PersonName) != shown; pump() {
					if time.Now().After(deadline) {
						b.Fatalf("records shown = %v after 60 s", !shown)
					}
					runtime.Gosched()
				}
			}
			live := func() uint64 {
				var ms runtime.MemStats
				runtime.GC()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				return ms.HeapAlloc
			}
			place := func() { watch.changes <- creditapp.CardChange{Kind: creditapp.CardPlaced, Card: card}; waitFor(true) }
			takeOff := func() { watch.changes <- creditapp.CardChange{Kind: creditapp.CardTakenOff}; waitFor(false) }
			// One round first (font and glyph caches filled), then one
			// measured: Fyne keeps the renderers of dropped widgets in its
			// cache for a minute, so these stay in both figures.
			place()
			takeOff()
			home := live()
			place()
			heap := float64(live()) - float64(home)
			takeOff()
			cpu0 := cputime.Process()
			for b.Loop() {
				place()
				takeOff()
			}
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(heap/1024, "heap-KB")
		})
	}
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/app/ui/uitest"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// Issue 7's speed and footprint targets, measured with Fyne's software
// test driver (no GL): our part of cold start, card read to records, and
// the resident memory of the kiosk over a 1,000,000-record cache.

// kioskOver opens the store at path and builds the kiosk's service and UI
// over it as Run does, with the card watch running over watch (nil: none),
// shown in a test window of the kiosk's size. It returns the window, a
// function that runs what the UI queued for its thread, and one that
// closes everything.
func kioskOver(tb testing.TB, path string, watch *instantWatch) (fyne.Window, func(), func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, path, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		tb.Fatal(err)
	}
	deps := creditapp.Deps{Records: db, Inquiries: db, Applications: db, DeviceID: "bench", EndOnCardRemoval: true}
	if watch != nil {
		deps.Card, deps.CardWatch = apptest.NewCard(credit.IDCard{}, nil), watch
	}
	svc := creditapp.New(deps)
	q := make(chan func(), 1024)
	pump := func() {
		for {
			select {
			case f := <-q:
				f()
			default:
				return
			}
		}
	}
	u := newKioskUI(fyne.CurrentApp(), svc, ui.Options{Go: func(f func()) { f(); pump() }, Do: func(f func()) { q <- f }})
	w := test.NewWindow(nil)
	u.Show(w)
	w.Resize(fyne.NewSize(1280, 1024))
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = svc.RunCardWatch(ctx, 0) }()
	return w, pump, func() { cancel(); <-stopped; u.Close(); w.Close(); db.Close() }
}

// instantWatch is a card watcher whose reader answers at once: the
// benchmark places and takes off the card through it.
type instantWatch struct{ changes chan creditapp.CardChange }

func (iw *instantWatch) WatchCards(ctx context.Context, emit func(creditapp.CardChange)) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case c := <-iw.changes:
			emit(c)
		}
	}
}

// fixtureDB writes the app fixture into a fresh store file.
func fixtureDB(tb testing.TB) string {
	tb.Helper()
	subjects, records := apptest.FixtureData()
	return storeFile(tb, subjects, records)
}

// storeFile writes subjects and records into a fresh store file, closes
// it and returns its path.
func storeFile(tb testing.TB, subjects []credit.Subject, records []credit.Record) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "kiosk.db")
	db, err := store.Open(context.Background(), path, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if err := db.Load(context.Background(), subjects, records); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkFirstFrame is our part of a cold start: open the cache (an
// existing file, migrations checked), build the service and the UI, show
// the window and render its first frame (software painter). Process start
// and GL set-up are not included.
func BenchmarkFirstFrame(b *testing.B) {
	test.NewTempApp(b)
	path := fixtureDB(b)
	for b.Loop() {
		w, _, done := kioskOver(b, path, nil)
		if img := w.Canvas().Capture(); img.Bounds().Dx() == 0 {
			b.Fatal("empty first frame")
		}
		done()
	}
}

// BenchmarkCardToRecords is the card read → records on screen path over
// the fixture cache: tap Read, the (fake, instant) reader answers, the
// inquiry is logged (a durable write), the holder's data is loaded and the
// records screen is built and laid out; then Finish.
func BenchmarkCardToRecords(b *testing.B) {
	test.NewTempApp(b)
	benchCardToRecords(b, fixtureDB(b), apptest.PersonCard(), apptest.PersonName)
}

// BenchmarkCardToRecordsRareName is BenchmarkCardToRecords for a holder
// whose name has a character outside the everyday font subset (堃): the
// kiosk switches to the whole font (parsing it) before it shows the
// records, and back to the subset after the wipe, in every iteration.
func BenchmarkCardToRecordsRareName(b *testing.B) {
	test.NewTempApp(b)
	card := apptest.PersonCard()
	card.Name = "张三堃"
	benchCardToRecords(b, fixtureDB(b), card, card.Name)
}

// BenchmarkCardToRecords1M is the same over a cache of 1,000,000 records
// (synth seed 11, loaded through the snapshot path), read with the demo
// card. It also starts a fresh process (this test binary) that opens that
// cache, reads the card into the records screen and reports its peak
// resident memory (VmHWM) as rss-MB. Skipped under -short.
func BenchmarkCardToRecords1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M-record cache skipped under -short")
	}
	path := oneMillionDB(b)
	test.NewTempApp(b)
	card := apptest.PersonCard()
	card.Number, card.Name, card.Birth = synth.DemoID, synth.DemoName, "19850312"
	benchCardToRecords(b, path, card, synth.DemoName)

	cmd := exec.CommandContext(b.Context(), os.Args[0], "-test.run=^TestKioskRSSHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CREDIT_KIOSK_RSS_DB="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("RSS helper: %v\n%s", err, out)
	}
	_, kb, ok := strings.Cut(string(out), "VmHWM-kB=")
	if !ok {
		b.Fatalf("RSS helper said:\n%s", out)
	}
	kb, _, _ = strings.Cut(kb, "\n")
	n, err := strconv.Atoi(strings.TrimSpace(kb))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/1024, "rss-MB")
}

// benchCardToRecords places card on the watcher and waits until the
// window shows its holder's name on the records screen (the watcher's
// event, the session opened and logged, the screen built), then takes it
// off and waits for the wipe.
func benchCardToRecords(b *testing.B, path string, card credit.IDCard, name string) {
	watch := &instantWatch{changes: make(chan creditapp.CardChange)}
	w, pump, done := kioskOver(b, path, watch)
	defer done()
	waitFor := func(shown bool) {
		for deadline := time.Now().Add(30 * time.Second); uitest.Shows(w, name) != shown; pump() {
			if time.Now().After(deadline) {
				b.Fatalf("records of %s shown = %v after 30 s", name, !shown)
			}
			runtime.Gosched()
		}
	}
	for b.Loop() {
		watch.changes <- creditapp.CardChange{Kind: creditapp.CardPlaced, Card: card}
		waitFor(true)
		watch.changes <- creditapp.CardChange{Kind: creditapp.CardTakenOff}
		waitFor(false)
	}
}

// TestKioskRSSHelper is BenchmarkCardToRecords1M's fresh process: it opens
// the cache named by CREDIT_KIOSK_RSS_DB, reads the demo card into the
// records screen and prints its peak resident memory.
func TestKioskRSSHelper(t *testing.T) {
	path := os.Getenv("CREDIT_KIOSK_RSS_DB")
	if path == "" {
		t.Skip("run by BenchmarkCardToRecords1M")
	}
	test.NewTempApp(t)
	card := apptest.PersonCard()
	card.Number, card.Name, card.Birth = synth.DemoID, synth.DemoName, "19850312"
	watch := &instantWatch{changes: make(chan creditapp.CardChange)}
	w, pump, done := kioskOver(t, path, watch)
	defer done()
	watch.changes <- creditapp.CardChange{Kind: creditapp.CardPlaced, Card: card}
	for deadline := time.Now().Add(30 * time.Second); !uitest.Shows(w, synth.DemoName); pump() {
		if time.Now().After(deadline) {
			t.Fatal("the records screen did not open")
		}
		time.Sleep(time.Millisecond)
	}
	w.Canvas().Capture() // a drawn frame, as on screen
	fmt.Printf("VmHWM-kB=%d\n", procStatus(t, "VmHWM"))
}

// procStatus reads a kB field of /proc/self/status.
func procStatus(t *testing.T, field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// oneMillionDB builds a cache of 1,000,000 records and their subjects
// through the snapshot path, or reuses the file named by
// CREDIT_BENCH_1M_DB when it exists (set it to keep the file between
// runs: building takes a minute or more).
func oneMillionDB(b *testing.B) string {
	b.Helper()
	path := os.Getenv("CREDIT_BENCH_1M_DB")
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	} else {
		path = filepath.Join(b.TempDir(), "kiosk-1m.db")
	}
	start := time.Now()
	ds := synth.Generate(11, 505000)
	subs, recs := ds.Subjects, ds.Records
	if len(recs) > 1_000_000 {
		recs = recs[:1_000_000]
	}
	slices.SortFunc(subs, func(a, b credit.Subject) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(recs, func(a, b credit.Record) int { return strings.Compare(a.ID, b.ID) })
	var all []credit.Change
	for i := range subs {
		all = append(all, credit.Change{Seq: int64(len(all) + 1), Op: credit.OpPut, Type: credit.TypeSubject, ID: subs[i].ID, Version: 1, Subject: &subs[i]})
	}
	for i := range recs {
		all = append(all, credit.Change{Seq: int64(len(all) + 1), Op: credit.OpPut, Type: credit.TypeRecord, ID: recs[i].ID, Version: 1, Record: &recs[i]})
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.BeginSnapshot(ctx); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(all); i += 5000 {
		if err := db.ApplySnapshotPage(ctx, all[i:min(i+5000, len(all))], "T", strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.FinishSnapshot(ctx, "c", int64(len(all)), time.Now()); err != nil {
		b.Fatal(err)
	}
	b.Logf("built a cache of %d records, %d subjects in %v", len(recs), len(subs), time.Since(start).Round(time.Second))
	return path
}

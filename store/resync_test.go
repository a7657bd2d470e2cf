package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// A resync writes the snapshot's rows and then sweeps every row it did
// not write, out of the tables and out of the raw files; the outbox and
// the applications stay.
func TestSnapshotSweep(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "resync.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keep := org(uscc("91620102000000010"), "兰州保留商贸有限公司")
	gone := org(uscc("91620102000000020"), "兰州鳕鱼消失商贸有限公司")
	person := credit.Subject{ID: idno("62010219800101123"), Kind: credit.NaturalPerson, Name: "欧阳消失", Region: "620102", Version: 1}
	const canary = "CANARY-撤回-SWEEP-4711"
	page := []credit.Change{putSubject(1, keep), putSubject(2, gone), putSubject(3, person),
		putRecord(4, record("R-keep", keep.ID, "保留的内容", 3)), putRecord(5, record("R-gone", gone.ID, canary, 1))}
	if err := db.ApplyPage(ctx, page, "old-cursor", fixedNow); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if !store.RawContains(t, path, canary) {
		t.Fatal("canary not in the file before the resync; the test proves nothing")
	}

	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	// The snapshot holds the kept subject and an older version of its
	// record (the platform was restored): the snapshot wins.
	older := record("R-keep", keep.ID, "平台恢复后的内容", 2)
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, keep)}, "TOK", "s/"+keep.ID); err != nil {
		t.Fatal(err)
	}
	tok, after, active, err := db.SnapshotProgress(ctx)
	if err != nil || !active || tok != "TOK" || after != "s/"+keep.ID {
		t.Fatalf("progress = %q %q %v, %v", tok, after, active, err)
	}
	if c, _ := db.Cursor(ctx); c != "old-cursor" {
		t.Errorf("cursor moved before the sweep: %q", c)
	}
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putRecord(2, older)}, "TOK", "r/R-keep"); err != nil {
		t.Fatal(err)
	}
	swept, err := db.FinishSnapshot(ctx, "new-cursor", 99, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if swept != 3 { // gone, person, R-gone
		t.Errorf("swept %d rows, want 3", swept)
	}
	if c, _ := db.Cursor(ctx); c != "new-cursor" {
		t.Errorf("cursor = %q", c)
	}
	if _, _, active, _ := db.SnapshotProgress(ctx); active {
		t.Error("snapshot still active")
	}
	if _, err := db.Subject(ctx, gone.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("swept subject still there: %v", err)
	}
	recs, err := db.RecordsOf(ctx, keep.ID)
	if err != nil || len(recs) != 1 || recs[0].Content != "平台恢复后的内容" || recs[0].Version != 2 {
		t.Errorf("kept records = %+v, %v", recs, err)
	}
	if res, _ := db.SearchOrganisations(ctx, "鳕鱼", 10); len(res) != 0 {
		t.Errorf("name index still finds the swept organisation: %+v", res)
	}
	tombs, err := db.Tombstones(ctx, 0)
	if err != nil || len(tombs) != 3 {
		t.Fatalf("tombstones = %+v, %v", tombs, err)
	}
	for _, tb := range tombs {
		if tb.Seq != 99 || tb.ID == person.ID {
			t.Errorf("tombstone %+v (natural persons masked, seq = S0)", tb)
		}
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("-wal is %d bytes after the sweep", fi.Size())
	}
	for _, s := range []string{canary, "鳕鱼消失", "欧阳消失", person.ID} {
		if store.RawContains(t, path, s) {
			t.Errorf("%q survives the sweep in the raw files", s)
		}
	}
}

// A snapshot begun again (its token was refused, or the device restarted
// it) gets a new generation: rows only the abandoned attempt wrote are
// swept too.
func TestSnapshotRestartSweepsAbandonedRows(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "restart.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := org(uscc("91620102000000030"), "甲公司")
	b := org(uscc("91620102000000040"), "乙公司")
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, a), putSubject(2, b)}, "T1", "s/x"); err != nil {
		t.Fatal(err)
	}
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if tok, after, active, _ := db.SnapshotProgress(ctx); !active || tok != "" || after != "" {
		t.Errorf("restarted progress = %q %q %v", tok, after, active)
	}
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, a)}, "T2", "s/y"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishSnapshot(ctx, "c", 5, fixedNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Subject(ctx, b.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("row of the abandoned snapshot survived: %v", err)
	}
	if _, err := db.Subject(ctx, a.ID); err != nil {
		t.Errorf("snapshot row lost: %v", err)
	}
	// A page or a finish with no snapshot begun is refused, nothing changed.
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, b)}, "T", "s/z"); err == nil {
		t.Error("snapshot page accepted without a snapshot begun")
	}
	if _, err := db.FinishSnapshot(ctx, "c2", 6, fixedNow); err == nil {
		t.Error("finish accepted without a snapshot begun")
	}
	if c, _ := db.Cursor(ctx); c != "c" {
		t.Errorf("cursor = %q", c)
	}
}

// A record that does not validate is quarantined; the deletions on the
// same page apply and the cursor moves. A later del removes the
// quarantined copy too.
func TestPoisonPutQuarantined(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "poison.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := org(uscc("91620102000000050"), "丙公司")
	if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, o), putRecord(2, record("R-old", o.ID, "旧记录", 1))}, "c1", fixedNow); err != nil {
		t.Fatal(err)
	}
	bad := record("R-bad", o.ID, "POISON-CONTENT-1234", 1)
	bad.Category = "nonsense"
	page := []credit.Change{putRecord(3, bad), del(4, credit.TypeRecord, "R-old")}
	if err := db.ApplyPage(ctx, page, "c2", fixedNow); err != nil {
		t.Fatalf("poison put failed the page: %v", err)
	}
	if recs, _ := db.RecordsOf(ctx, o.ID); len(recs) != 0 {
		t.Errorf("records = %+v (deletion held up or poison applied)", recs)
	}
	if c, _ := db.Cursor(ctx); c != "c2" {
		t.Errorf("cursor = %q", c)
	}
	if err := db.Quarantine(ctx, 5, "record", "R-undecodable", 1, []byte(`{"id":7}`), "record: cannot unmarshal"); err != nil {
		t.Fatal(err)
	}
	q, err := db.QuarantinedPuts(ctx)
	if err != nil || len(q) != 2 || q[0].ID != "R-bad" || q[0].Seq != 3 || q[1].ID != "R-undecodable" || !strings.Contains(q[1].Reason, "unmarshal") {
		t.Fatalf("quarantine = %+v, %v", q, err)
	}
	if err := db.ApplyPage(ctx, []credit.Change{del(6, credit.TypeRecord, "R-bad")}, "c3", fixedNow); err != nil {
		t.Fatal(err)
	}
	if q, _ := db.QuarantinedPuts(ctx); len(q) != 1 || q[0].ID != "R-undecodable" {
		t.Errorf("quarantine after del = %+v", q)
	}
	if store.RawContains(t, path, "POISON-CONTENT-1234") {
		t.Error("deleted quarantined content survives in the raw files")
	}
}

// BenchmarkSnapshotApply writes a snapshot of 50,000 records in pages of
// 5,000 into an empty cache and sweeps; it reports records per second.
func BenchmarkSnapshotApply(b *testing.B) {
	ctx := b.Context()
	ds := synth.Generate(5, 30000)
	recs := ds.Records[:50000]
	var pages [][]credit.Change
	for i := 0; i < len(recs); i += 5000 {
		var p []credit.Change
		for _, r := range recs[i:min(i+5000, len(recs))] {
			p = append(p, putRecord(int64(len(p)+1), r))
		}
		pages = append(pages, p)
	}
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "snap.db"))
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
		if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		elapsed += time.Since(start)
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs)*b.N)/elapsed.Seconds(), "records/s")
}

// Snapshot records are written in multi-row batches: a page of 600
// crosses two full batches and a remainder, and a bad row among them is
// quarantined without losing its neighbours.
func TestSnapshotBatches(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "batch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := org(uscc("91620102000000060"), "丁公司")
	old := record("R-old", o.ID, "旧", 1)
	if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, o), putRecord(2, old)}, "c0", fixedNow); err != nil {
		t.Fatal(err)
	}
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	page := []credit.Change{putSubject(1, o)}
	for i := range 600 {
		r := record(fmt.Sprintf("R-%04d", i), o.ID, fmt.Sprintf("内容%d", i), int64(i%3+1))
		if i == 300 {
			r.Category = "bogus"
		}
		page = append(page, putRecord(int64(i+2), r))
	}
	if err := db.ApplySnapshotPage(ctx, page, "T", "r/R-0599"); err != nil {
		t.Fatal(err)
	}
	swept, err := db.FinishSnapshot(ctx, "c1", 9, fixedNow)
	if err != nil || swept != 1 {
		t.Fatalf("swept %d, %v", swept, err)
	}
	recs, err := db.RecordsOf(ctx, o.ID)
	if err != nil || len(recs) != 599 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	byID := map[string]credit.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, i := range []int{0, 255, 256, 511, 512, 599} {
		r, ok := byID[fmt.Sprintf("R-%04d", i)]
		if !ok || r.Content != fmt.Sprintf("内容%d", i) || r.Version != int64(i%3+1) {
			t.Errorf("record %d = %+v", i, r)
		}
	}
	if q, _ := db.QuarantinedPuts(ctx); len(q) != 1 || q[0].ID != "R-0300" {
		t.Errorf("quarantine %+v", q)
	}
}

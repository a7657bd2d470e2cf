package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

func TestStatsAndResetCache(t *testing.T) {
	db, ds := openSynth(t, 4, 200)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	o := newObjection(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf, Channel: "k", At: fixedNow}
	if err := db.LogInquiry(ctx, q); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	if err := db.ApplyPage(ctx, []credit.Change{del(1, credit.TypeRecord, ds.Records[len(ds.Records)-1].ID)}, "c1", asOf); err != nil {
		t.Fatal(err)
	}
	persons := 0
	for _, s := range ds.Subjects {
		if s.IsPerson() {
			persons++
		}
	}
	got, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Stats{Subjects: 200, Persons: persons, Organisations: 200 - persons, Records: len(ds.Records) - 1,
		OutboxPending: 1, Inquiries: 1, Tombstones: 1, Cursor: "c1", SchemaVersion: store.SchemaVersion()}
	if !got.DataAsOf.Equal(asOf) {
		t.Fatalf("DataAsOf %v", got.DataAsOf)
	}
	got.DataAsOf = time.Time{}
	if got != want {
		t.Fatalf("Stats = %+v\nwant    %+v", got, want)
	}

	if err := db.ResetCache(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want = store.Stats{OutboxPending: 1, Inquiries: 1, Tombstones: 1, SchemaVersion: store.SchemaVersion()}
	if got != want {
		t.Fatalf("after reset Stats = %+v\nwant    %+v", got, want)
	}
	if hits, _ := db.SearchOrganisations(ctx, "有限", 5); len(hits) != 0 {
		t.Fatalf("name index survives reset: %d hits", len(hits))
	}
	if _, err := db.Objection(ctx, o.ID); err != nil {
		t.Fatalf("objection lost in reset: %v", err)
	}
	// The cache fills again from cursor "".
	if err := db.Load(ctx, ds.Subjects[:10], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Subject(ctx, synth.DemoID); err != nil {
		t.Fatal(err)
	}
}

// TestResetCacheErasesRawFiles: after a reset the organisation names and
// record contents are gone from the .db, -wal and -shm files.
func TestResetCacheErasesRawFiles(t *testing.T) {
	db, path := openTest(t)
	ctx := t.Context()
	ds := synth.Generate(6, 100)
	if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	demoContent := ""
	for _, r := range ds.Records {
		if r.SubjectID == synth.DemoUSCC && r.Category == credit.CategoryUntrustworthy {
			demoContent = r.Content
		}
	}
	secrets := []string{synth.DemoOrgName, synth.DemoName, synth.DemoID, demoContent}
	for _, s := range secrets {
		if !store.RawContains(t, path, s) {
			t.Fatalf("canary %q not in the file before reset", s)
		}
	}
	if err := db.ResetCache(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if store.RawContains(t, path, s) {
			t.Errorf("%q survives a cache reset", s)
		}
	}
}

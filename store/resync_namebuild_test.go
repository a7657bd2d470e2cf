package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// nameIndexRows returns every name_grams row of the database at path,
// in key order, as "gram\tsubject".
func nameIndexRows(t *testing.T, path string) []string {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(t.Context(), `SELECT gram, subject_id FROM name_grams ORDER BY gram, subject_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g, s string
		if err := rows.Scan(&g, &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, g+"\t"+s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// nameBuildSubjects is a synth data set plus names that exercise the
// normalisation: full-width letters, spaces and dots, repeats, a single
// character, characters outside the BMP.
func nameBuildSubjects() ([]credit.Subject, []credit.Record) {
	ds := synth.Generate(5, 300)
	subs := append(ds.Subjects,
		org(uscc("91620102000000911"), "ａｂｃ 兰州·黄河 商贸"),
		org(uscc("91620102000000922"), "兰兰兰州有限公司"),
		org(uscc("91620102000000933"), "鑫"),
		org(uscc("91620102000000944"), "𠀋𠀋記 Gansu co"),
	)
	slices.SortFunc(subs, func(a, b credit.Subject) int { return strings.Compare(a.ID, b.ID) })
	recs := slices.Clone(ds.Records)
	slices.SortFunc(recs, func(a, b credit.Record) int { return strings.Compare(a.ID, b.ID) })
	return subs, recs
}

// snapshotPages splits subjects then records into pages of n puts, as the
// platform pages a snapshot.
func snapshotPages(subs []credit.Subject, recs []credit.Record, n int) [][]credit.Change {
	var all []credit.Change
	for _, s := range subs {
		all = append(all, putSubject(int64(len(all)+1), s))
	}
	for _, r := range recs {
		all = append(all, putRecord(int64(len(all)+1), r))
	}
	var pages [][]credit.Change
	for i := 0; i < len(all); i += n {
		pages = append(pages, all[i:min(i+n, len(all))])
	}
	return pages
}

// A bootstrap's name index, built beside the cache while the record pages
// are written and copied in by FinishSnapshot, is row for row the index
// ApplyPage writes; whenever the builder cannot be sure it saw every
// organisation (a restart, a resync over a full cache, a subject after
// the records, a close mid-build) FinishSnapshot rebuilds the index itself
// with the same result. The scratch file never outlives the snapshot, and
// an interrupted bootstrap never looks finished.
func TestBootstrapNameIndexBuiltBeside(t *testing.T) {
	subs, recs := nameBuildSubjects()
	ctx := t.Context()
	refPath := filepath.Join(t.TempDir(), "ref.db")
	ref, err := store.Open(ctx, refPath)
	if err != nil {
		t.Fatal(err)
	}
	var page []credit.Change
	for i, s := range subs {
		page = append(page, putSubject(int64(i+1), s))
	}
	if err := ref.ApplyPage(ctx, page, "c", fixedNow); err != nil {
		t.Fatal(err)
	}
	ref.Close()
	want := nameIndexRows(t, refPath)
	if len(want) < 1000 {
		t.Fatalf("reference index has %d rows; the test proves little", len(want))
	}
	pages := snapshotPages(subs, recs, 40)
	firstRecordPage := slices.IndexFunc(pages, func(p []credit.Change) bool { return p[0].Type == credit.TypeRecord })
	if firstRecordPage < 2 || firstRecordPage >= len(pages)-2 {
		t.Fatalf("first record page %d of %d", firstRecordPage, len(pages))
	}
	renamed := subs[0]
	renamed.Name += "旧名"

	tests := []struct {
		name   string
		before []credit.Change // applied with ApplyPage before the snapshot
		// at is called before page i; it may reopen the store or change
		// the page list.
		at      func(t *testing.T, i int, db *store.DB, reopen func() *store.DB) *store.DB
		extra   [][]credit.Change // pages after the last one
		beside  bool
		wantLog string
	}{
		{name: "bootstrap", beside: true},
		{name: "a page applied twice", beside: true, at: func(t *testing.T, i int, db *store.DB, _ func() *store.DB) *store.DB {
			if i == 1 {
				if err := db.ApplySnapshotPage(ctx, pages[0], "T", "again"); err != nil {
					t.Fatal(err)
				}
			}
			return db
		}},
		{name: "restart among the subject pages", at: func(t *testing.T, i int, db *store.DB, reopen func() *store.DB) *store.DB {
			if i != 1 {
				return db
			}
			db.Close()
			db = reopen()
			if c, err := db.Cursor(ctx); err != nil || c != "" {
				t.Errorf("an interrupted bootstrap has cursor %q (%v)", c, err)
			}
			if _, _, active, err := db.SnapshotProgress(ctx); err != nil || !active {
				t.Errorf("an interrupted bootstrap is not active: %v", err)
			}
			return db
		}},
		{name: "closed while building", at: func(t *testing.T, i int, db *store.DB, reopen func() *store.DB) *store.DB {
			if i != firstRecordPage+1 {
				return db
			}
			db.Close()
			return reopen()
		}},
		{name: "a subject after the records", extra: [][]credit.Change{{putSubject(1, org(uscc("91620102000000955"), "迟到商贸有限公司"))}},
			wantLog: "迟到"},
		{name: "over a full cache", before: []credit.Change{putSubject(1, renamed)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "boot.db")
			var logs bytes.Buffer
			open := func() *store.DB {
				db, err := store.Open(ctx, path, store.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
				if err != nil {
					t.Fatal(err)
				}
				return db
			}
			db := open()
			defer func() { db.Close() }()
			if tt.before != nil {
				if err := db.ApplyPage(ctx, tt.before, "old", fixedNow); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.BeginSnapshot(ctx); err != nil {
				t.Fatal(err)
			}
			all := append(slices.Clone(pages), tt.extra...)
			for i, p := range all {
				if tt.at != nil {
					db = tt.at(t, i, db, open)
				}
				if err := db.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(logs.String(), "name_index_built_beside=true"); got != tt.beside {
				t.Errorf("index built beside the cache: %v, want %v", got, tt.beside)
			}
			if _, err := os.Stat(path + "-namegrams"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("scratch index left behind: %v", err)
			}
			hits, err := db.SearchOrganisations(ctx, "兰州", 500)
			if err != nil || len(hits) == 0 {
				t.Errorf("search after the bootstrap: %d hits, %v", len(hits), err)
			}
			db.Close()
			got := nameIndexRows(t, path)
			if tt.wantLog != "" {
				if !slices.ContainsFunc(got, func(r string) bool { return strings.HasPrefix(r, tt.wantLog) }) {
					t.Errorf("late subject %q not indexed", tt.wantLog)
				}
				got = slices.DeleteFunc(got, func(r string) bool { return strings.HasSuffix(r, uscc("91620102000000955")) })
			}
			if !slices.Equal(got, want) {
				t.Errorf("name index differs from ApplyPage's: %d rows, want %d", len(got), len(want))
			}
		})
	}
}

// A cancelled FinishSnapshot waiting for the builder changes nothing: the
// snapshot stays active and a second FinishSnapshot completes it.
func TestBootstrapFinishCancelled(t *testing.T) {
	subs, recs := nameBuildSubjects()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "boot.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	for i, p := range snapshotPages(subs, recs, 500) {
		if err := db.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.FinishSnapshot(cancelled, "c", 1, fixedNow); err == nil {
		t.Fatal("FinishSnapshot with a cancelled context succeeded")
	}
	if _, _, active, err := db.SnapshotProgress(ctx); err != nil || !active {
		t.Fatalf("snapshot not active after a cancelled finish: %v", err)
	}
	if c, _ := db.Cursor(ctx); c != "" {
		t.Fatalf("cursor %q after a cancelled finish", c)
	}
	if _, err := db.FinishSnapshot(ctx, "c", 1, fixedNow); err != nil {
		t.Fatal(err)
	}
	if hits, err := db.SearchOrganisations(ctx, "𠀋記", 5); err != nil || len(hits) != 1 {
		t.Errorf("search after the bootstrap: %d hits, %v", len(hits), err)
	}
}

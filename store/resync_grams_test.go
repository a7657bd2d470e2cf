package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

// The name index FinishSnapshot rebuilds inside SQLite answers exactly like
// the one ApplyPage writes from Go: full-width letters, lower case, spaces
// and middle dots, a repeated character, a one-character name. An empty
// cache's records index is dropped for the bootstrap and back afterwards.
func TestSnapshotRebuildsNameIndex(t *testing.T) {
	ctx := t.Context()
	names := []string{"ａｂｃ 兰州·黄河 商贸", "兰兰兰州有限公司", "鑫", "Gansu 祁连 Co"}
	var subs []credit.Subject
	for i, n := range names {
		subs = append(subs, org(uscc("9162010200000"+string(rune('1'+i))+"000"), n))
	}
	queries := []string{"ABC", "abc", "兰州", "兰", "黄河商贸", "兰兰州", "鑫", "GANSU", "祁连CO", "州黄"}
	search := func(db *store.DB) map[string]int {
		out := map[string]int{}
		for _, q := range queries {
			got, err := db.SearchOrganisations(ctx, q, 50)
			if err != nil {
				t.Fatal(err)
			}
			out[q] = len(got)
		}
		return out
	}
	viaPage, err := store.Open(ctx, filepath.Join(t.TempDir(), "page.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer viaPage.Close()
	var page []credit.Change
	for i, s := range subs {
		page = append(page, putSubject(int64(i+1), s))
	}
	if err := viaPage.ApplyPage(ctx, page, "c", fixedNow); err != nil {
		t.Fatal(err)
	}
	snapPath := filepath.Join(t.TempDir(), "snap.db")
	viaSnap, err := store.Open(ctx, snapPath)
	if err != nil {
		t.Fatal(err)
	}
	defer viaSnap.Close()
	if err := viaSnap.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := viaSnap.ApplySnapshotPage(ctx, append(page, putRecord(9, record("R-1", subs[0].ID, "x", 1))), "T", "r/R-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := viaSnap.FinishSnapshot(ctx, "c", 9, fixedNow); err != nil {
		t.Fatal(err)
	}
	want, got := search(viaPage), search(viaSnap)
	for _, q := range queries {
		if got[q] != want[q] {
			t.Errorf("search %q: %d hits after a snapshot, %d after a page", q, got[q], want[q])
		}
	}
	if want["兰州"] != 2 || want["鑫"] != 1 {
		t.Errorf("unexpected baseline %v", want)
	}
	if recs, err := viaSnap.RecordsOf(ctx, subs[0].ID); err != nil || len(recs) != 1 {
		t.Errorf("records after bootstrap: %d, %v", len(recs), err)
	}
	raw, err := sql.Open("sqlite", snapPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var idx []string
	rows, err := raw.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('records_subject', 'name_grams_subject')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		idx = append(idx, n)
	}
	rows.Close()
	// records_subject is back; name_grams has no index by subject since
	// migration 013.
	if len(idx) != 1 || idx[0] != "records_subject" {
		t.Errorf("indexes after bootstrap: %q", idx)
	}
}

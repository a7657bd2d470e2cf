package store

import (
	"path/filepath"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

// Migration 013 converts a cache of schema 12 — unigrams and bigrams, the
// subject_id index, a search_name with a NUL in it — into the lean index:
// the index by subject gone, the rows exactly nameGrams' of every stored
// organisation, searches answering as before.
func TestMigrationLeanNameIndex(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	orgs := []credit.Subject{
		{ID: usccOf("91620102000000011"), Kind: credit.LegalPerson, Name: "兰州黄河商贸有限公司", Region: "620102", Version: 1},
		{ID: usccOf("91620102000000022"), Kind: credit.LegalPerson, Name: "ａｂｃ 兰州·黄河", Region: "620102", Version: 1},
		{ID: usccOf("91620102000000033"), Kind: credit.LegalPerson, Name: "鑫", Region: "620102", Version: 1},
		{ID: usccOf("91620102000000044"), Kind: credit.LegalPerson, Name: "NUL\x00公\x00\x00司", Region: "620102", Version: 1},
	}
	// The schema-12 cache: its index and rows as writer.putSubject wrote them.
	for _, q := range []string{`CREATE INDEX name_grams_subject ON name_grams (subject_id)`, `PRAGMA user_version = 12`} {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range orgs {
		rs := []rune(s.Name)
		var search []rune // normName before NUL was dropped
		for _, r := range rs {
			if r == 0 {
				search = append(search, 0)
			} else {
				search = append(search, normName(string(r))...)
			}
		}
		if _, err := d.db.ExecContext(ctx, `INSERT INTO subjects (id, kind, name, region, version, search_name) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, string(s.Kind), s.Name, s.Region, s.Version, string(search)); err != nil {
			t.Fatal(err)
		}
		for i := range search {
			for _, g := range []string{string(search[i]), string(search[i:min(i+2, len(search))])} {
				if _, err := d.db.ExecContext(ctx, `INSERT OR IGNORE INTO name_grams (gram, subject_id) VALUES (?, ?)`, g, s.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	d.Close()
	d, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var idx int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'name_grams_subject'`).Scan(&idx); err != nil || idx != 0 {
		t.Errorf("name_grams_subject after migration: %d, %v", idx, err)
	}
	if err := NameIndexMismatch(ctx, d); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"兰州": 2, "兰": 2, "河": 2, "鑫": 1, "C": 1, "司": 2, "公司": 2, "L公": 1, "黄河商贸": 1} {
		got, err := d.SearchOrganisations(ctx, q, 10)
		if err != nil || len(got) != want {
			t.Errorf("search %q after migration: %d hits, %v; want %d", q, len(got), err, want)
		}
	}
}

// A withdrawn organisation's name index rows leave the raw files: its
// grams, found only through its stored name (name_grams has no index by
// subject), are deleted, and secure_delete and the checkpoint after a
// deletion leave no copy in the .db, -wal or -shm file. Enough other
// organisations make name_grams a B-tree of several levels.
func TestWithdrawnOrganisationLeavesRawFiles(t *testing.T) {
	ctx := t.Context()
	d, path := openInternal(t, "c.db")
	ds := synth.Generate(7, 3000)
	rare := credit.Subject{ID: usccOf("91620102000000099"), Kind: credit.LegalPerson, Name: "龘靐齉爩", Region: "620102", Version: 1}
	if err := d.Load(ctx, append(ds.Subjects, rare), nil); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"龘靐", "靐齉", "齉爩", "爩"}
	if !RawContains(t, path, secrets[0]) {
		t.Fatal("the name's grams are not in the raw files to begin with; the test proves nothing")
	}
	del := credit.Change{Seq: 1, Op: credit.OpDel, Type: credit.TypeSubject, ID: rare.ID}
	if err := d.ApplyPage(ctx, []credit.Change{del}, "c1", fixedAsOf); err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if RawContains(t, path, s) {
			t.Errorf("%q survives in the raw files after the withdrawal", s)
		}
	}
	if err := NameIndexMismatch(ctx, d); err != nil {
		t.Fatal(err)
	}
}

package store_test

import (
	"database/sql"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// TestSchemaArt18 walks every table, index and column of the migrated
// schema and fails on a name that holds a kind of information Art. 18
// forbids (religion, genes, fingerprints, blood type, illness, biometrics,
// faces, photos).
func TestSchemaArt18(t *testing.T) {
	db, path := openTest(t)
	db.Close()
	raw := openRaw(t, path)
	ctx := t.Context()
	rows, err := raw.QueryContext(ctx, `SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	n := 0
	for rows.Next() {
		var typ, name string
		if err := rows.Scan(&typ, &name); err != nil {
			t.Fatal(err)
		}
		n++
		if term, bad := credit.Art18Match(name); bad {
			t.Errorf("%s %s: Art. 18 term %q", typ, name, term)
		}
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	cols := 0
	for _, tab := range tables {
		crows, err := raw.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, tab)
		if err != nil {
			t.Fatal(err)
		}
		for crows.Next() {
			var col string
			if err := crows.Scan(&col); err != nil {
				t.Fatal(err)
			}
			cols++
			if term, bad := credit.Art18Match(col); bad {
				t.Errorf("column %s.%s: Art. 18 term %q", tab, col, term)
			}
		}
		crows.Close()
	}
	// The walk must have seen the schema, or it proves nothing.
	if len(tables) < 10 || cols < 60 {
		t.Fatalf("walked only %d tables, %d columns (%d objects)", len(tables), cols, n)
	}
}

// openRaw opens the database file without the store, for inspection.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

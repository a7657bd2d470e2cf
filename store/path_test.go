package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// TestOpenUnusualPaths: kiosk data directories may contain spaces,
// Chinese characters or URI metacharacters.
func TestOpenUnusualPaths(t *testing.T) {
	for _, name := range []string{"with space.db", "信用 数据.db", "pct%41.db", "hash#x.db", "q?x.db", "amp&x=1.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			db, err := store.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			ds := synth.Generate(1, 3)
			if err := db.Load(t.Context(), ds.Subjects, ds.Records); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("database not at %s: %v", path, err)
			}
		})
	}
}

func TestOpenRefusesNonFilePaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if db, err := store.Open(t.Context(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// fixedNow is the injected clock of the tests.
var fixedNow = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)

// openTest opens a fresh database file in t.TempDir().
func openTest(t testing.TB) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credit.db")
	db, err := store.Open(context.Background(), path, store.WithNow(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// openSynth opens a database loaded with synth.Generate(seed, n).
func openSynth(t testing.TB, seed int64, n int) (*store.DB, synth.Dataset) {
	t.Helper()
	db, _ := openTest(t)
	ds := synth.Generate(seed, n)
	if err := db.Load(context.Background(), ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	return db, ds
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "credit.db")
	for i := range 3 {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		if i == 0 {
			ds := synth.Generate(1, 5)
			if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Subject(ctx, synth.DemoID); err != nil {
			t.Fatalf("open #%d lost data: %v", i, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if v := userVersion(t, path); v != store.SchemaVersion() || v < 1 {
		t.Fatalf("user_version = %d, SchemaVersion = %d", v, store.SchemaVersion())
	}
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "credit.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = store.Open(ctx, path)
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "999") {
		t.Errorf("error does not name the version: %v", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	_, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "missing-dir", "x.db"))
	if err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	db, path := openTest(t)
	_ = db
	// The journal mode is persistent; the rest are per connection and are
	// checked through a fresh store connection in a raw query.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	if err := raw.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Fatalf("journal_mode = %q", mode)
	}
}

// forbidden are kinds of data the regulation bars from collection.
var forbidden = regexp.MustCompile(`(?i)religio|gene|fingerprint|blood|medical|health|biometric|photo|image|face`)

func TestSchemaHoldsNoForbiddenData(t *testing.T) {
	_, path := openTest(t)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(t.Context(), `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		n++
		if forbidden.MatchString(table) || forbidden.MatchString(col) {
			t.Errorf("forbidden column %s.%s", table, col)
		}
	}
	if n < 20 {
		t.Fatalf("only %d columns seen; the query is wrong", n)
	}
}

func TestStoreImportsNeitherAppNorSync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/gansu-credit/credit/"
	for _, p := range strings.Fields(string(out)) {
		for _, bad := range []string{mod + "app", mod + "sync/", mod + "device", "fyne.io/"} {
			if strings.HasPrefix(p, bad) {
				t.Errorf("store depends on %s", p)
			}
		}
	}
}

// TestOpenConcurrently: the kiosk and creditctl may open a new file at
// the same moment; both must succeed and migrate once.
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "race.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := store.Open(t.Context(), path)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if v := userVersion(t, path); v != store.SchemaVersion() {
		t.Fatalf("user_version %d", v)
	}
}

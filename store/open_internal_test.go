package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// openInternal opens a fresh database file called name in t.TempDir() for
// the package's internal tests, closed when the test ends, and returns it
// with its path. (The external tests use openTest in store_test.go.)
func openInternal(t testing.TB, name string) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	d, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, path
}

// RawContains reports whether s (UTF-8) occurs in the database file at
// path or its -wal or -shm file. It is exported (in the test build only)
// for the external tests, which check that erased data leaves the raw
// files.
func RawContains(t testing.TB, path, s string) bool {
	t.Helper()
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

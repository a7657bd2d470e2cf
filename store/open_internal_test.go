package store

import (
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

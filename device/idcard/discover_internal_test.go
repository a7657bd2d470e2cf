package idcard

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestPortsInDedupesSymlinks(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"ttyUSB0", "ttyUSB1"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "by-id-reader")
	if err := os.Symlink(filepath.Join(dir, "ttyUSB1"), link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "by-id-dangling")); err != nil {
		t.Fatal(err)
	}
	got := portsIn([]string{filepath.Join(dir, "by-id-*"), filepath.Join(dir, "ttyUSB*")})
	want := []string{link, filepath.Join(dir, "ttyUSB0")}
	if !slices.Equal(got, want) {
		t.Fatalf("portsIn = %v, want %v", got, want)
	}
}

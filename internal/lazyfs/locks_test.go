//go:build linux

package lazyfs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestLocks: the kernel keeps POSIX and OFD locks on the mount itself (it
// is not asked to forward them), so two descriptors of one file conflict
// as on a local disk, which SQLite's locking relies on.
func TestLocks(t *testing.T) {
	_, _, mnt := mountT(t, 1)
	p := filepath.Join(mnt, "db")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func() *os.File {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	a, b := open(), open()
	lk := func(f *os.File, typ int16) error {
		l := unix.Flock_t{Type: typ, Whence: 0, Start: 0, Len: 1}
		return unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &l)
	}
	tests := []struct {
		name string
		f    *os.File
		typ  int16
		ok   bool
	}{
		{"first writer locks", a, unix.F_WRLCK, true},
		{"second writer refused", b, unix.F_WRLCK, false},
		{"reader refused while written", b, unix.F_RDLCK, false},
		{"first writer unlocks", a, unix.F_UNLCK, true},
		{"second reader locks", b, unix.F_RDLCK, true},
		{"first reader shares", a, unix.F_RDLCK, true},
		{"writer refused while read", a, unix.F_WRLCK, false},
	}
	for _, tt := range tests {
		err := lk(tt.f, tt.typ)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err != nil && !errors.Is(err, unix.EAGAIN) {
			t.Errorf("%s: %v, want EAGAIN", tt.name, err)
		}
	}
}

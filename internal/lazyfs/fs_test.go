//go:build linux

package lazyfs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// mountT mounts a fresh lazy file system, or skips the test where FUSE
// cannot be mounted (no /dev/fuse, not root).
func mountT(t *testing.T, seed uint64) (l *FS, backing, mnt string) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("FUSE cannot be mounted here: %v", err)
	}
	backing, mnt = t.TempDir(), t.TempDir()
	l = New(backing, mnt, Options{Seed: seed})
	if err := l.Mount(t.Context()); errors.Is(err, ErrUnavailable) {
		t.Skipf("FUSE cannot be mounted here: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Unmount(); err != nil {
			t.Error(err)
		}
	})
	return l, backing, mnt
}

// file is a test step's helper on the mount.
type file struct {
	t   *testing.T
	mnt string
}

func (f file) path(name string) string { return filepath.Join(f.mnt, name) }

// put writes data at off into name (creating it), fsyncing if sync.
func (f file) put(name string, off int64, data string, sync bool) {
	f.t.Helper()
	h, err := os.OpenFile(f.path(name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		f.t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.WriteAt([]byte(data), off); err != nil {
		f.t.Fatal(err)
	}
	if sync {
		if err := h.Sync(); err != nil {
			f.t.Fatal(err)
		}
	}
}

// truncate truncates name through an open file, fsyncing if sync.
func (f file) truncate(name string, size int64, sync bool) {
	f.t.Helper()
	h, err := os.OpenFile(f.path(name), os.O_RDWR, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	defer h.Close()
	if err := h.Truncate(size); err != nil {
		f.t.Fatal(err)
	}
	if sync {
		if err := h.Sync(); err != nil {
			f.t.Fatal(err)
		}
	}
}

// want checks name's content on the mount; absent is "<absent>".
func (f file) want(when, name, want string) {
	f.t.Helper()
	b, err := os.ReadFile(f.path(name))
	got := string(b)
	if errors.Is(err, os.ErrNotExist) {
		got = "<absent>"
	} else if err != nil {
		f.t.Fatal(err)
	}
	if got != want {
		f.t.Errorf("%s: %s holds %q, want %q", when, name, got, want)
	}
	if fi, err := os.Stat(f.path(name)); err == nil && fi.Size() != int64(len(got)) {
		f.t.Errorf("%s: %s: stat size %d, content %d bytes", when, name, fi.Size(), len(got))
	}
}

const absent = "<absent>"

// TestCrash runs file operations, checks what the mount shows, crashes
// and checks what survived: exactly what was fsynced, and every name.
func TestCrash(t *testing.T) {
	tests := []struct {
		name   string
		steps  func(f file)
		before map[string]string // on the mount before the crash
		after  map[string]string // after it
	}{
		{"unsynced write is lost, the name stays", func(f file) { f.put("a", 0, "hello", false) },
			map[string]string{"a": "hello"}, map[string]string{"a": ""}},
		{"fsynced write is kept", func(f file) { f.put("a", 0, "hello", true) },
			map[string]string{"a": "hello"}, map[string]string{"a": "hello"}},
		{"writes after the fsync are lost", func(f file) { f.put("a", 0, "hello", true); f.put("a", 5, " world", false) },
			map[string]string{"a": "hello world"}, map[string]string{"a": "hello"}},
		{"pwrite inside synced data", func(f file) { f.put("a", 0, "0123456789", true); f.put("a", 3, "xx", false) },
			map[string]string{"a": "012xx56789"}, map[string]string{"a": "0123456789"}},
		{"pwrite past the end leaves zeros", func(f file) { f.put("a", 0, "ab", true); f.put("a", 4, "cd", true) },
			map[string]string{"a": "ab\x00\x00cd"}, map[string]string{"a": "ab\x00\x00cd"}},
		{"unsynced truncate is undone", func(f file) { f.put("a", 0, "0123456789", true); f.truncate("a", 4, false) },
			map[string]string{"a": "0123"}, map[string]string{"a": "0123456789"}},
		{"fsynced truncate then regrow", func(f file) {
			f.put("a", 0, "0123456789", true)
			f.truncate("a", 2, false)
			f.put("a", 4, "zz", true)
		}, map[string]string{"a": "01\x00\x00zz"}, map[string]string{"a": "01\x00\x00zz"}},
		{"O_TRUNC open without fsync is undone", func(f file) {
			f.put("a", 0, "keep me", true)
			if err := os.WriteFile(f.path("a"), []byte("ab"), 0o600); err != nil {
				f.t.Fatal(err)
			}
		}, map[string]string{"a": "ab"}, map[string]string{"a": "keep me"}},
		{"rename keeps synced data under the new name", func(f file) {
			f.put("a", 0, "data", true)
			if err := os.Rename(f.path("a"), f.path("b")); err != nil {
				f.t.Fatal(err)
			}
		}, map[string]string{"a": absent, "b": "data"}, map[string]string{"a": absent, "b": "data"}},
		{"rename over a file: the unsynced data of the renamed one is lost", func(f file) {
			f.put("b", 0, "old", true)
			f.put("a", 0, "new", false)
			if err := os.Rename(f.path("a"), f.path("b")); err != nil {
				f.t.Fatal(err)
			}
		}, map[string]string{"a": absent, "b": "new"}, map[string]string{"a": absent, "b": ""}},
		{"unlink is durable at once", func(f file) {
			f.put("a", 0, "data", true)
			if err := os.Remove(f.path("a")); err != nil {
				f.t.Fatal(err)
			}
			f.put("a", 0, "again", false) // a new file, maybe on the same inode number
		}, map[string]string{"a": "again"}, map[string]string{"a": ""}},
		{"fsync through another descriptor of the file", func(f file) {
			f.put("a", 0, "first", false)
			f.put("a", 5, "+second", true)
		}, map[string]string{"a": "first+second"}, map[string]string{"a": "first+second"}},
		{"a new directory and its file, directory fsynced", func(f file) {
			if err := os.Mkdir(f.path("d"), 0o700); err != nil {
				f.t.Fatal(err)
			}
			f.put("d/x", 0, "in d", true)
			d, err := os.Open(f.path("d"))
			if err != nil {
				f.t.Fatal(err)
			}
			defer d.Close()
			if err := d.Sync(); err != nil {
				f.t.Fatal(err)
			}
		}, map[string]string{"d/x": "in d"}, map[string]string{"d/x": "in d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, backing, mnt := mountT(t, 1)
			f := file{t, mnt}
			tt.steps(f)
			for name, want := range tt.before {
				f.want("before the crash", name, want)
			}
			// The backing directory already holds exactly what survives.
			for name, want := range tt.after {
				file{t, backing}.want("in the backing directory before the crash", name, want)
			}
			if _, err := l.Crash(t.Context(), false); err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.after {
				f.want("after the crash", name, want)
			}
		})
	}
}

// TestTornCrashMount writes 4 KiB blocks without fsync and tears: the
// file keeps a prefix of what was written, ending on a sector boundary,
// and the same seed keeps the same prefix.
func TestTornCrashMount(t *testing.T) {
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	run := func(seed uint64) (int, CrashReport) {
		l, _, mnt := mountT(t, seed)
		h, err := os.Create(filepath.Join(mnt, "f"))
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off < len(data); off += 4096 {
			if _, err := h.Write(data[off : off+4096]); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		rep, err := l.Crash(t.Context(), true)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(mnt, "f"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data[:len(got)]) || len(got)%sectorSize != 0 {
			t.Fatalf("seed %d (%+v): kept %d bytes, not a sector-aligned prefix of what was written", seed, rep, len(got))
		}
		return len(got), rep
	}
	lengths := map[int]bool{}
	for seed := range uint64(4) {
		n, rep := run(seed)
		if n2, rep2 := run(seed); n2 != n || rep2 != rep {
			t.Errorf("seed %d: kept %d bytes (%+v), then %d (%+v)", seed, n, rep, n2, rep2)
		}
		if rep.Ops == 0 || rep.DroppedBytes != int64(len(data)) {
			t.Errorf("seed %d: report %+v, want the %d written bytes unsynced", seed, rep, len(data))
		}
		lengths[n] = true
	}
	if len(lengths) < 2 {
		t.Errorf("four seeds kept the same prefix: %v", lengths)
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db, bak := seeded(t, dir, 3), filepath.Join(dir, "backup.db")
	_, before, _ := run(t, "epoch", "show", "--db", db)
	if code, out, errs := run(t, "backup", "--db", db, "--to", bak); code != 0 || !strings.Contains(out, bak) {
		t.Fatalf("backup: %d %q %s", code, out, errs)
	}
	if code, _, _ := run(t, "backup", "--db", db, "--to", bak); code != 1 {
		t.Errorf("a second backup over the first: exit %d, want 1", code)
	}
	if code, out, errs := run(t, "restore", "--db", db, "--from", bak); code != 0 || !strings.Contains(out, "new epoch") {
		t.Fatalf("restore: %d %q %s", code, out, errs)
	}
	if _, after, _ := run(t, "epoch", "show", "--db", db); after == before {
		t.Errorf("the epoch did not change: %q", after)
	}
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"backup", "--db", db}, 2},
		{[]string{"restore", "--db", db}, 2},
		{[]string{"restore", "--from", bak}, 2},
		{[]string{"restore", "--db", db, "--from", filepath.Join(dir, "missing.db")}, 1},
	} {
		if code, _, _ := run(t, tt.args...); code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
}

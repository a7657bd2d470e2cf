package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestEpochAndCompact(t *testing.T) {
	db := filepath.Join(t.TempDir(), "platform.db")
	if code, _, errs := run(t, "seed", "--db", db, "--n", "3"); code != 0 {
		t.Fatal(errs)
	}
	code, before, errs := run(t, "epoch", "show", "--db", db)
	if code != 0 || !strings.HasPrefix(before, "epoch ") {
		t.Fatalf("show: %d %q %s", code, before, errs)
	}
	if code, out, errs := run(t, "epoch", "rotate", "--db", db); code != 0 || !strings.Contains(out, "resync") {
		t.Fatalf("rotate: %d %q %s", code, out, errs)
	}
	_, after, _ := run(t, "epoch", "show", "--db", db)
	if after == before || len(after) < 20 {
		t.Errorf("epoch %q → %q", before, after)
	}
	for _, args := range [][]string{{"epoch"}, {"epoch", "spin", "--db", db}, {"epoch", "rotate"}} {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, out, errs := run(t, "compact", "--db", db, "--tombstone-horizon", "1h"); code != 0 || !strings.Contains(out, "dropped 0 tombstone") {
		t.Fatalf("compact: %d %q %s", code, out, errs)
	}
}

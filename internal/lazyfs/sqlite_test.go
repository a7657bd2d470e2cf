//go:build linux

package lazyfs

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// sqliteChildEnv makes the test binary a child that writes a SQLite
// database on the mount (sqliteChild) and waits to be killed.
const sqliteChildEnv = "LAZYFS_TEST_SQLITE_CHILD"

// sqliteRows is how many rows the child commits with synchronous=FULL,
// and then again with NORMAL.
const sqliteRows = 20

func init() {
	// In init, not TestMain: the child needs no test framework.
	if p := os.Getenv(sqliteChildEnv); p != "" {
		os.Exit(sqliteChild(p))
	}
}

// sqliteChild commits sqliteRows rows one by one with synchronous=FULL
// (each fsyncs the WAL), printing "full N" after each commit, then as
// many with NORMAL (no fsync), printing "normal N"; then "idle", and it
// waits with the database open until it is killed.
func sqliteChild(path string) int {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	db.SetMaxOpenConns(1) // one connection: the synchronous pragma holds
	step := func(q string, args ...any) {
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", q, err)
			os.Exit(2)
		}
	}
	step(`CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`)
	for i, mode := range []string{"full", "normal"} {
		step(`PRAGMA synchronous = ` + mode)
		for k := 1; k <= sqliteRows; k++ {
			id := i*sqliteRows + k
			step(`INSERT INTO t (id, v) VALUES (?, ?)`, id, strings.Repeat(fmt.Sprintf("row %d ", id), 300))
			fmt.Println(mode, id)
		}
	}
	fmt.Println("idle")
	time.Sleep(time.Hour)
	return 0
}

// TestSQLitePowerLoss: a SQLite database in WAL mode on a mount served
// by a child process (this test opens the database itself), its writer
// killed with the database open and the power cut. Every row
// committed with synchronous=FULL survives and integrity_check passes;
// without a torn crash every row committed with NORMAL after the last
// fsync is gone (the layer really drops unsynced writes).
func TestSQLitePowerLoss(t *testing.T) {
	tests := []struct {
		name string
		seed uint64
		torn bool
	}{
		{"unsynced writes dropped", 1, false},
		{"torn, seed 5", 5, true},
		{"torn, seed 6", 6, true},
		{"torn, seed 7", 7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, mnt := startT(t, tt.seed)
			path := filepath.Join(mnt, "t.db")
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), sqliteChildEnv+"="+path, "GORACE=atexit_sleep_ms=0")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			lines := 0
			for sc.Scan() && sc.Text() != "idle" {
				lines++
			}
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if lines != 2*sqliteRows {
				t.Fatalf("the child committed %d rows, want %d: %s", lines, 2*sqliteRows, stderr.String())
			}
			rep, err := l.Crash(t.Context(), tt.torn)
			if err != nil {
				t.Fatal(err)
			}
			full, normal := checkSQLite(t, path)
			t.Logf("crash %+v: %d FULL and %d NORMAL rows survive", rep, full, normal)
			if full != sqliteRows {
				t.Errorf("%d of %d rows committed with synchronous=FULL survive", full, sqliteRows)
			}
			if !tt.torn && normal != 0 {
				t.Errorf("%d rows committed with NORMAL (never fsynced) survive a crash that drops every unsynced write", normal)
			}
			if rep.Ops == 0 {
				t.Error("nothing was unsynced at the crash: the test proves nothing")
			}
		})
	}
}

// startT mounts a fresh lazy file system served by a child process
// (Start), or skips the test where FUSE cannot be mounted.
func startT(t *testing.T, seed uint64) (*Proc, string) {
	t.Helper()
	mnt := t.TempDir()
	return StartT(t, t.TempDir(), mnt, Options{Seed: seed}), mnt
}

// checkSQLite opens the database, checks its integrity and counts the
// rows of each half.
func checkSQLite(t *testing.T, path string) (full, normal int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ic string
	if err := db.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity_check = %q, %v", ic, err)
	}
	err = db.QueryRowContext(t.Context(), `SELECT count(*) FILTER (WHERE id <= ?), count(*) FILTER (WHERE id > ?) FROM t`,
		sqliteRows, sqliteRows).Scan(&full, &normal)
	if err != nil {
		t.Fatal(err)
	}
	return full, normal
}

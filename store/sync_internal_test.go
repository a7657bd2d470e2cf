package store

import (
	"os"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestSaveObjectionRestoresSynchronous runs with a single pooled
// connection, so the connection SaveObjection switched to FULL is the one
// every later query uses: it must be back to NORMAL, with the other
// per-connection pragmas intact.
func TestSaveObjectionRestoresSynchronous(t *testing.T) {
	ctx := t.Context()
	d, _ := openInternal(t, "s.db")
	d.db.SetMaxOpenConns(1)
	pragma := func(name string) int {
		t.Helper()
		var v int
		if err := d.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: "S", RecordID: "R",
		Type: credit.ObjectionTypes[0], Statement: "x", Channel: "k", ReceivedAt: at})
	if err := d.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pragma string
		want   int
	}{
		{"synchronous", 1}, // NORMAL
		{"secure_delete", 1},
		{"foreign_keys", 1},
		{"busy_timeout", 10000},
	}
	for _, tt := range tests {
		if got := pragma(tt.pragma); got != tt.want {
			t.Errorf("PRAGMA %s = %d, want %d", tt.pragma, got, tt.want)
		}
	}
}

// TestPendingCheckpointRetried: a checkpoint that could not finish after a
// deleting page is retried by the next page, even one without deletions.
func TestPendingCheckpointRetried(t *testing.T) {
	ctx := t.Context()
	d, path := openInternal(t, "p.db")
	walSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	for _, pending := range []bool{false, true} {
		d.mu.Lock()
		d.checkpointPending = pending
		d.mu.Unlock()
		if err := d.ApplyPage(ctx, nil, "c", time.Now()); err != nil {
			t.Fatal(err)
		}
		if got := walSize() == 0; got != pending {
			t.Fatalf("pending=%v: WAL truncated = %v", pending, got)
		}
	}
	if d.checkpointPending {
		t.Fatal("flag not cleared after a successful checkpoint")
	}
}

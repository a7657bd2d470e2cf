package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingCompact is a CompactBlobs that reports each call on calls
// (unbuffered: the test sees every call, in order) and fails when told.
type recordingCompact struct {
	calls chan time.Duration
	mu    sync.Mutex
	fail  bool
}

func (r *recordingCompact) compact(ctx context.Context, olderThan time.Duration) (int, int, error) {
	select {
	case r.calls <- olderThan:
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		r.fail = false
		return 0, 0, errors.New("disk full")
	}
	return 1, 2, nil
}

// TestBlobCompactorSchedule drives the loop with an injected ticker: one
// round at start, one per tick with the configured window, a failed round
// logged and retried at the next tick, nothing after the stop.
func TestBlobCompactorSchedule(t *testing.T) {
	rc := &recordingCompact{calls: make(chan time.Duration), fail: true}
	var logs bytes.Buffer
	var logMu sync.Mutex
	b := blobCompactor{compact: rc.compact, olderThan: 48 * time.Hour,
		log: slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))}
	ctx, cancel := context.WithCancel(t.Context())
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() { defer close(done); b.run(ctx, ticks) }()
	for round := range 3 {
		if round > 0 {
			ticks <- time.Time{}
		}
		if got := <-rc.calls; got != 48*time.Hour {
			t.Fatalf("round %d: olderThan %v, want 48h", round, got)
		}
	}
	cancel()
	<-done
	select {
	case <-rc.calls:
		t.Fatal("a round ran after the stop")
	default:
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "evidence compaction failed") || !strings.Contains(logs.String(), "disk full") {
		t.Errorf("the failed round is not logged: %q", logs.String())
	}
	if n := strings.Count(logs.String(), "evidence compacted"); n != 2 {
		t.Errorf("%d successful rounds logged, want 2: %q", n, logs.String())
	}
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestStartBlobCompaction: 0 (or less) starts nothing; an interval starts
// a round at once, and stop waits for the loop.
func TestStartBlobCompaction(t *testing.T) {
	tests := []struct {
		every  time.Duration
		rounds int
	}{{0, 0}, {-time.Minute, 0}, {time.Hour, 1}}
	for _, tt := range tests {
		rc := &recordingCompact{calls: make(chan time.Duration, 4)}
		stop := startBlobCompaction(t.Context(), blobCompactor{compact: rc.compact, olderThan: time.Hour, log: slog.New(slog.DiscardHandler)}, tt.every)
		if tt.rounds > 0 {
			<-rc.calls // the first round runs at start
		}
		stop()
		if n := len(rc.calls); n != 0 {
			t.Errorf("every %v: %d extra rounds", tt.every, n)
		}
	}
}

// TestServeBlobFlags: a window of zero with the schedule on is refused
// before anything listens.
func TestServeBlobFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "platform.db")
	code, _, errs := run(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--blob-older-than", "0")
	if code != 2 || !strings.Contains(errs, "--blob-older-than must be positive") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = run(t, "serve", "--db", db, "--blob-compact-every", "soon")
	if code != 2 || !strings.Contains(errs, "blob-compact-every") {
		t.Fatalf("bad interval: exit %d, stderr %q", code, errs)
	}
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/internal/leakcheck"
	"github.com/gansu-credit/credit/sync/protocol"
	"go.uber.org/goleak"
)

// TestServeLeavesNothingRunning is invariant I9 of sync.md for `serve`:
// once its ctx ends and Main returns, the HTTP server, the tombstone
// compaction loop, the calendar loop and the evidence compaction
// (every millisecond here) have stopped, a device's keep-alive connection
// is closed, and so are the listener and the database.
func TestServeLeavesNothingRunning(t *testing.T) {
	db := filepath.Join(t.TempDir(), "platform.db")
	if code, _, errs := run(t, "seed", "--db", db, "--n", "5"); code != 0 {
		t.Fatal(errs)
	}
	fds := leakcheck.Baseline(t)
	base := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--blob-compact-every", "1ms", "--blob-older-than", "1h"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	sign := enrol(t, db, url, "KIOSK-1")

	hc := &http.Client{Transport: &http.Transport{}} // its connection stays open: serve must close it
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+protocol.PathChanges+"?limit=10", nil)
	sign(req)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("changes: %s", resp.Status)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d", code)
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("serve did not return after cancel")
	}
	goleak.VerifyNone(t, base)
	leakcheck.Check(t, fds)
}

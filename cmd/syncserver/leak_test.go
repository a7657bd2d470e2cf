package main

import (
	"io"
	"net/http"
	"testing"

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
	db := seeded(t, t.TempDir(), 5)
	fds := leakcheck.Baseline(t)
	base := goleak.IgnoreCurrent()
	url, stop := serve(t, db, "--blob-compact-every", "1ms", "--blob-older-than", "1h")
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

	stop()
	goleak.VerifyNone(t, base)
	leakcheck.Check(t, fds)
}

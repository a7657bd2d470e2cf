package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func TestEpochAndCompact(t *testing.T) {
	db := seeded(t, t.TempDir(), 3)
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

func TestStatusShowsDeletionLag(t *testing.T) {
	db := seeded(t, t.TempDir(), 3)
	s, err := syncserver.Open(t.Context(), db, syncserver.Options{Devices: map[string]string{"kiosk-token-1": "kiosk-1"}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Stats(t.Context())
	hs := httptest.NewServer(s.Handler())
	get := func(q string) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", hs.URL+protocol.PathChanges+q, nil)
		req.Header.Set("Authorization", "Bearer kiosk-token-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET: %v", err)
		}
		resp.Body.Close()
	}
	if err := s.WithdrawRecord(t.Context(), firstRecord(t, s), "withdrawn"); err != nil {
		t.Fatal(err)
	}
	get("?limit=5000")
	hs.Close()
	s.Close()
	code, out, errs := run(t, "status", "--db", db)
	if code != 0 || !strings.Contains(out, "device kiosk-1\tacked seq 0 at never\tdeletion lag ") || !strings.Contains(out, "1 tombstone(s) delivered, not acknowledged") {
		t.Fatalf("status %d:\n%s\n%s (head %d)", code, out, errs, st.HeadSeq)
	}
}

// firstRecord returns the id of a record the server holds, read from
// the feed.
func firstRecord(t *testing.T, s *syncserver.Server) string {
	t.Helper()
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", hs.URL+protocol.PathChanges+"?limit=5000", nil)
	req.Header.Set("Authorization", "Bearer kiosk-token-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p, err := protocol.DecodePage(resp.Body, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Record != nil {
			return c.ID
		}
	}
	t.Fatal("no record in the feed")
	return ""
}

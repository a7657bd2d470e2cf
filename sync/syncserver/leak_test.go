package syncserver

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gansu-credit/credit/internal/leakcheck"
	"go.uber.org/goleak"
)

// TestCloseLeavesNothingRunning is invariant I9 of sync.md for the
// platform's background work: the delivery-note flusher (idle, or with
// notes queued and flushing every millisecond) and a snapshot page being
// read ahead for a device. Once Close returns none of their goroutines is
// left, and no database file is open.
func TestCloseLeavesNothingRunning(t *testing.T) {
	tests := []struct {
		name  string
		flush time.Duration
		busy  bool // a pull that queues delivery notes, and a snapshot page
	}{{"idle", time.Hour, false}, {"notes queued, page read ahead", time.Hour, true}, {"flushing", time.Millisecond, true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := leakcheck.Baseline(t)
			base := goleak.IgnoreCurrent()
			s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
				Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return t0 },
				DeliveryFlushInterval: tt.flush,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if tt.busy {
				ss, rs := subjectsAndRecords(12)
				if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
					t.Fatal(err)
				}
				hs := httptest.NewServer(s.Handler())
				a := client{t, hs.URL, tokA}
				p, _, _ := a.page("", 0)
				for _, id := range []string{"RS000", "RS001"} {
					if err := s.WithdrawRecord(t.Context(), id, "withdrawn"); err != nil {
						t.Fatal(err)
					}
				}
				if p2, code, b := a.page(p.Next, 0); code != 200 || len(p2.Changes) != 2 {
					t.Fatalf("tombstone page %d %s", code, b)
				}
				if sp, code, b := snapshotPage(t, a, "", "", 2); code != 200 || !sp.More {
					t.Fatalf("snapshot page %d %s", code, b)
				}
				s.ahead.mu.Lock()
				ahead := len(s.ahead.pages)
				s.ahead.mu.Unlock()
				if ahead != 1 || (tt.flush == time.Hour && s.deliveries.queued() != 2) {
					t.Fatalf("%d pages read ahead, %d notes queued; want 1 and 2", ahead, s.deliveries.queued())
				}
				hs.Close()
				http.DefaultTransport.(*http.Transport).CloseIdleConnections() // the test client's side
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			goleak.VerifyNone(t, base)
			leakcheck.Check(t, all)
		})
	}
}

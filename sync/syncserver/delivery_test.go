package syncserver

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// deliveryRows counts the delivery rows on disk for device: all, and
// those acknowledged.
func deliveryRows(t *testing.T, s *Server, device string) (all, acked int) {
	t.Helper()
	err := s.db.QueryRowContext(t.Context(), `SELECT count(*), count(acked_at) FROM deliveries WHERE device = ?`, device).Scan(&all, &acked)
	if err != nil {
		t.Fatal(err)
	}
	return all, acked
}

// queuedServer is a server whose flusher never fires on its own during
// a test, seeded with 4 subjects and records, 3 records withdrawn after
// kiosk-a's first page (returned).
func queuedServer(t *testing.T, path string) (*Server, client, *protocol.Page) {
	t.Helper()
	s, err := Open(t.Context(), path, Options{
		Devices: map[string]string{tokA: "kiosk-a", tokB: "kiosk-b"}, Now: func() time.Time { return t0 },
		DeliveryFlushInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	ss, rs := subjectsAndRecords(4)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	a := client{t, hs.URL, tokA}
	p, _, _ := a.page("", 0)
	for _, id := range []string{"RS000", "RS001", "RS003"} {
		if err := s.WithdrawRecord(t.Context(), id, "withdrawn"); err != nil {
			t.Fatal(err)
		}
	}
	return s, a, p
}

func postAck(c client, cursor string) int {
	b, _ := json.Marshal(protocol.AckV1{Cursor: cursor})
	resp, _ := c.do("POST", protocol.PathAck, b, map[string]string{"Content-Type": protocol.ContentTypeJSON})
	return resp.StatusCode
}

func TestDeliveryNotesQueuedThenFlushedBeforeAck(t *testing.T) {
	s, a, p := queuedServer(t, filepath.Join(t.TempDir(), "srv.db"))
	defer s.Close()
	p2, _, _ := a.page(p.Next, 0)
	if len(p2.Changes) != 3 {
		t.Fatalf("tombstone page %+v", p2.Changes)
	}
	if all, _ := deliveryRows(t, s, "kiosk-a"); all != 0 || s.deliveries.queued() != 3 {
		t.Fatalf("the pull wrote %d rows and queued %d; want 0 and 3", all, s.deliveries.queued())
	}
	// The ack covers the queued tombstones: they are written first, then
	// acknowledged in the ack's transaction.
	if code := postAck(a, p2.Next); code != 200 {
		t.Fatalf("ack %d", code)
	}
	if all, acked := deliveryRows(t, s, "kiosk-a"); all != 3 || acked != 3 || s.deliveries.queued() != 0 {
		t.Fatalf("after ack: %d rows, %d acked, %d queued; want 3, 3, 0", all, acked, s.deliveries.queued())
	}
	devs, err := s.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].Unacked != 0 || devs[0].LastSeen.IsZero() {
		t.Fatalf("devices %+v %v", devs, err)
	}
}

func TestDeliveryNotesFlushedBeforeDevicesAndCompact(t *testing.T) {
	s, a, p := queuedServer(t, filepath.Join(t.TempDir(), "srv.db"))
	defer s.Close()
	a.page(p.Next, 0)
	devs, err := s.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].Unacked != 3 || !devs[0].OldestUnacked.Equal(t0) {
		t.Fatalf("devices read while notes were queued: %+v %v", devs, err)
	}
	// Notes queued before a compaction, or queued by a pull that read the
	// tombstones just before it, never come back after it.
	a.page(p.Next, 0) // queued again (a repeat: the first time is kept)
	s.opts.TombstoneHorizon = -time.Hour
	if n, err := s.Compact(t.Context()); err != nil || n != 3 {
		t.Fatalf("compact %d %v", n, err)
	}
	s.recordDeliveries(t.Context(), "kiosk-a", []int64{p.Changes[0].Seq, 1 << 40}) // a pull that raced the compaction
	if err := s.flushDeliveries(t.Context()); err != nil {
		t.Fatal(err)
	}
	if all, _ := deliveryRows(t, s, "kiosk-a"); all != 1 {
		t.Errorf("%d delivery rows after the compaction; want only the one above the floor", all)
	}
}

func TestCloseFlushesDeliveryNotes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.db")
	s, a, p := queuedServer(t, path)
	a.page(p.Next, 0)
	if s.deliveries.queued() != 3 {
		t.Fatalf("queued %d", s.deliveries.queued())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil { // a second Close is harmless
		t.Fatal(err)
	}
	s2 := openServer(t, path, 0)
	devs, err := s2.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].ID != "kiosk-a" || devs[0].Unacked != 3 {
		t.Fatalf("after restart %+v %v", devs, err)
	}
}

func TestDeliveryFlusherWritesOnItsOwn(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	s.recordDeliveries(t.Context(), "kiosk-a", []int64{7, 9})
	deadline := time.Now().Add(5 * time.Second)
	for {
		if all, _ := deliveryRows(t, s, "kiosk-a"); all == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the flusher did not write the notes within 5 s (interval %v)", s.opts.DeliveryFlushInterval)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Pulls and acks of many devices at once, read on the writer connection
// or through a read pool: every ack that covers a tombstone finds its
// delivery written, whatever the flusher's timing.
func TestConcurrentPullsAndAcksLoseNoDelivery(t *testing.T) {
	for _, conns := range []int{-1, 3} {
		t.Run(fmt.Sprintf("read-conns=%d", conns), func(t *testing.T) { concurrentPullsAndAcks(t, conns) })
	}
}

func concurrentPullsAndAcks(t *testing.T, readConns int) {
	devices := map[string]string{}
	for i := range 8 {
		devices[fmt.Sprintf("tok-%d", i)] = fmt.Sprintf("kiosk-%d", i)
	}
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: devices, Now: func() time.Time { return t0 }, DeliveryFlushInterval: time.Millisecond, PageLimit: 2, ReadConns: readConns,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ss, rs := subjectsAndRecords(6)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := s.WithdrawRecord(t.Context(), r.ID, "withdrawn"); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	var wg sync.WaitGroup
	for tok := range devices {
		wg.Go(func() {
			c := client{t, hs.URL, tok}
			cur := ""
			for {
				p, code, _ := c.page(cur, 2)
				if code != 200 {
					t.Errorf("pull %d", code)
					return
				}
				cur = p.Next
				if code := postAck(c, cur); code != 200 {
					t.Errorf("ack %d", code)
				}
				if !p.More {
					return
				}
			}
		})
	}
	wg.Wait()
	devs, err := s.Devices(t.Context())
	if err != nil || len(devs) != len(devices) {
		t.Fatalf("devices %d %v", len(devs), err)
	}
	for _, d := range devs {
		all, acked := deliveryRows(t, s, d.ID)
		if d.Unacked != 0 || all != len(rs) || acked != len(rs) {
			t.Errorf("%s: %d unacked, %d rows, %d acked; want 0, %d, %d", d.ID, d.Unacked, all, acked, len(rs), len(rs))
		}
	}
}

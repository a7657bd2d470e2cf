package syncserver

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// TestSyncRemaining: every change page says how many seqs are still to
// come after it (head − its cursor seq, 0 on the last page); the first
// snapshot page says how many rows the snapshot still holds after it, the
// later pages say nothing.
func TestSyncRemaining(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	ss, rs := subjectsAndRecords(3)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a := client{t, hs.URL, tokA}
	var hello protocol.Hello
	if resp, b := a.do("GET", protocol.PathHello, nil, nil); resp.StatusCode != 200 || json.Unmarshal(b, &hello) != nil {
		t.Fatalf("hello: %d %s", resp.StatusCode, b)
	}
	cursor, pages := "", 0
	for {
		q := url.Values{"limit": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		resp, b := a.do("GET", protocol.PathChanges+"?"+q.Encode(), nil, nil)
		p, err := protocol.DecodePage(bytes.NewReader(b), 0)
		if resp.StatusCode != 200 || err != nil {
			t.Fatalf("page %d: %d %v", pages, resp.StatusCode, err)
		}
		pages++
		got := protocol.ParseRemaining(resp.Header.Get(protocol.HeaderRemaining))
		want := int64(0)
		if p.More {
			want = hello.HeadSeq - p.Changes[len(p.Changes)-1].Seq
		}
		if got != want || (p.More && want <= 0) {
			t.Errorf("page %d: Sync-Remaining %d, want %d (head %d)", pages, got, want, hello.HeadSeq)
		}
		if !p.More {
			break
		}
		cursor = p.Next
	}
	if pages < 3 {
		t.Fatalf("%d pages: the test wants several", pages)
	}

	resp, b := a.do("GET", protocol.PathSnapshot+"?limit=2", nil, nil)
	first, err := protocol.DecodePage(bytes.NewReader(b), 0)
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("snapshot: %d %v", resp.StatusCode, err)
	}
	if got := protocol.ParseRemaining(resp.Header.Get(protocol.HeaderRemaining)); got != 6-2 {
		t.Errorf("first snapshot page: Sync-Remaining %d, want 4 (3 subjects + 3 records − 2 sent)", got)
	}
	q := url.Values{"limit": {"2"}, "token": {first.Token}, "after": {first.After}}
	resp, _ = a.do("GET", protocol.PathSnapshot+"?"+q.Encode(), nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get(protocol.HeaderRemaining) != "" {
		t.Errorf("second snapshot page: %d, Sync-Remaining %q", resp.StatusCode, resp.Header.Get(protocol.HeaderRemaining))
	}
}

// TestAckReportsDeletionLag: the ack answer says how many tombstones the
// device has not acknowledged and how old the oldest is, after recording
// this ack: 1 waiting for 30 h when the ack stops short of it, none once
// acked.
func TestAckReportsDeletionLag(t *testing.T) {
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ss, rs := subjectsAndRecords(2)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a := client{t, hs.URL, tokA}
	p, _, _ := a.page("", 0)
	if err := s.WithdrawRecord(t.Context(), "RS000", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	p2, _, _ := a.page(p.Next, 0) // the tombstone is delivered
	clock.Add(int64(30 * time.Hour))
	ack := func(cursor string) protocol.AckReplyV1 {
		t.Helper()
		body, _ := json.Marshal(protocol.AckV1{Cursor: cursor})
		resp, b := a.do("POST", protocol.PathAck, body, map[string]string{"Content-Type": protocol.ContentTypeJSON})
		var r protocol.AckReplyV1
		if resp.StatusCode != 200 || json.Unmarshal(b, &r) != nil || r.DeletionLag == nil {
			t.Fatalf("ack: %d %s", resp.StatusCode, b)
		}
		return r
	}
	tests := []struct {
		name   string
		cursor string
		want   protocol.DeletionLagV1
	}{
		{"ack before the tombstone", p.Next, protocol.DeletionLagV1{Waiting: 1, OldestS: 30 * 3600}},
		{"ack of the tombstone", p2.Next, protocol.DeletionLagV1{}},
	}
	for _, tt := range tests {
		if got := *ack(tt.cursor).DeletionLag; got != tt.want {
			t.Errorf("%s: lag %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

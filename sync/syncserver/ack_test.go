package syncserver

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

func TestAckAndDeletionLag(t *testing.T) {
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a", tokB: "kiosk-b"}, Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ss, rs := subjectsAndRecords(3)
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
	if err := s.WithdrawRecord(t.Context(), "RS002", "corrected"); err != nil {
		t.Fatal(err)
	}
	delivered := time.Unix(0, clock.Load()).UTC()
	p2, _, _ := a.page(p.Next, 0)
	if len(p2.Changes) != 2 {
		t.Fatalf("tombstone page %+v", p2.Changes)
	}
	clock.Add(int64(3 * time.Hour))
	a.page(p.Next, 0) // delivered again: the first delivery time stays
	devs, err := s.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].ID != "kiosk-a" || devs[0].Unacked != 2 || !devs[0].OldestUnacked.Equal(delivered) {
		t.Fatalf("devices before ack %+v, %v", devs, err)
	}
	if lag := devs[0].DeletionLag(s.Now()); lag != 3*time.Hour {
		t.Errorf("deletion lag %v", lag)
	}

	ack := func(c client, body any) (int, protocol.Problem) {
		b, _ := json.Marshal(body)
		resp, out := c.do("POST", protocol.PathAck, b, map[string]string{"Content-Type": protocol.ContentTypeJSON})
		var pr protocol.Problem
		_ = json.Unmarshal(out, &pr)
		return resp.StatusCode, pr
	}
	bad := []struct {
		name   string
		c      client
		body   any
		status int
	}{
		{"not json", a, "x", 400},
		{"bad cursor", a, protocol.AckV1{Cursor: "nope"}, 400},
		{"other device's cursor", client{t, hs.URL, tokB}, protocol.AckV1{Cursor: p2.Next}, 400},
		{"seq beyond the cursor", a, protocol.AckV1{Cursor: p.Next, AppliedThroughSeq: 1 << 30}, 400},
	}
	for _, tt := range bad {
		if code, _ := ack(tt.c, tt.body); code != tt.status {
			t.Errorf("%s: %d", tt.name, code)
		}
	}
	// Acking the cursor before the tombstones acknowledges none of them.
	if code, _ := ack(a, protocol.AckV1{Cursor: p.Next}); code != 200 {
		t.Fatalf("ack: %d", code)
	}
	if devs, _ := s.Devices(t.Context()); devs[0].Unacked != 2 {
		t.Errorf("early ack cleared tombstones: %+v", devs[0])
	}
	if code, _ := ack(a, protocol.AckV1{Cursor: p2.Next, AppliedThroughSeq: p2.Changes[1].Seq, AppliedAt: t0}); code != 200 {
		t.Fatalf("ack: %d", code)
	}
	devs, _ = s.Devices(t.Context())
	if d := devs[0]; d.Unacked != 0 || d.DeletionLag(s.Now()) != 0 || d.AckedSeq < p2.Changes[1].Seq || d.AckedAt.IsZero() {
		t.Errorf("after ack %+v", d)
	}
	// An older ack never lowers the watermark.
	if code, _ := ack(a, protocol.AckV1{Cursor: p.Next}); code != 200 {
		t.Fatal(code)
	}
	if devs, _ := s.Devices(t.Context()); devs[0].AckedSeq < p2.Changes[1].Seq {
		t.Errorf("watermark went back: %+v", devs[0])
	}
	if _, err := s.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if code, pr := ack(a, protocol.AckV1{Cursor: p2.Next}); code != 410 || pr.Reason != protocol.ReasonEpochChanged {
		t.Errorf("ack after rotation: %d %+v", code, pr)
	}
}

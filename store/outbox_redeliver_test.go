package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
)

var _ syncclient.Redeliverer = (*store.DB)(nil)

// TestRedeliver: after a platform restore, delivered items whose receipts
// lie beyond the backup (or, unknown, within the window) go back in the
// queue with their receipts kept; others stay delivered, rejected stay
// rejected, and nothing is lost or doubled.
func TestRedeliver(t *testing.T) {
	db, ds := openSynth(t, 1, 10)
	ctx := t.Context()
	var ids []string
	for i, r := range ds.Records[:5] {
		o := newObjection(r.ID, fixedNow.Add(time.Duration(i)*time.Minute))
		if err := db.SaveObjection(ctx, o); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	old := fixedNow.Add(-40 * 24 * time.Hour)
	// ids[0]: seq 10, old; ids[1]: seq 20; ids[2]: seq 30; ids[3]: rejected; ids[4]: pending.
	for i, rc := range []credit.Receipt{
		{ApplicationID: ids[0], ServerSeq: 10, ReceivedAt: old},
		{ApplicationID: ids[1], ServerSeq: 20, ReceivedAt: fixedNow},
		{ApplicationID: ids[2], ServerSeq: 30, ReceivedAt: fixedNow},
	} {
		rc.Digest = items0Digest(t, db, ids[i])
		if err := db.MarkDelivered(ctx, rc); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkRejected(ctx, ids[3], "invalid"); err != nil {
		t.Fatal(err)
	}
	since := fixedNow.Add(-30 * 24 * time.Hour)
	state := func() map[string]store.OutboxEntry {
		t.Helper()
		all, err := db.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]store.OutboxEntry{}
		for _, e := range all {
			m[e.ID] = e
		}
		if len(m) != len(ids) {
			t.Fatalf("outbox holds %d items, want %d", len(m), len(ids))
		}
		return m
	}
	tests := []struct {
		name    string
		after   int64
		since   time.Time
		n       int
		pending []string
	}{
		{"backup ended at 25: only seq 30", 25, since, 1, []string{ids[2], ids[4]}},
		{"requeued again is harmless", 25, since, 0, []string{ids[2], ids[4]}},
		{"unknown extent: all within the window", 0, since, 1, []string{ids[1], ids[2], ids[4]}},
		{"a wider window reaches the old one", 0, old, 1, []string{ids[0], ids[1], ids[2], ids[4]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := db.Redeliver(ctx, tt.after, tt.since)
			if err != nil || n != tt.n {
				t.Fatalf("Redeliver = %d, %v; want %d", n, err, tt.n)
			}
			m := state()
			for _, id := range tt.pending {
				if e := m[id]; e.State != store.OutboxPending {
					t.Errorf("%s is %s, want pending", id, e.State)
				}
			}
			if m[ids[3]].State != store.OutboxRejected {
				t.Errorf("rejected item became %s", m[ids[3]].State)
			}
			for _, id := range ids[:3] {
				if m[id].Receipt == nil {
					t.Errorf("%s lost its receipt", id)
				}
			}
			items, err := db.PendingOutbox(ctx, 0)
			if err != nil || len(items) != len(tt.pending) {
				t.Errorf("PendingOutbox = %d items, %v; want %d", len(items), err, len(tt.pending))
			}
		})
	}
	// Re-delivered, an item is delivered once more with the new receipt.
	rc := credit.Receipt{ApplicationID: ids[2], Digest: items0Digest(t, db, ids[2]), ServerSeq: 31, ReceivedAt: fixedNow}
	if err := db.MarkDelivered(ctx, rc); err != nil {
		t.Fatal(err)
	}
	if e := state()[ids[2]]; e.State != store.OutboxDelivered || e.Receipt.ServerSeq != 31 {
		t.Errorf("after the new receipt: %s, %+v", e.State, e.Receipt)
	}
}

package store_test

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

var _ syncclient.Purger = (*store.DB)(nil)

// TestPurgeDelivered: only delivered items whose receipts are older than
// the cut-off go; recent delivered, rejected and pending ones stay.
func TestPurgeDelivered(t *testing.T) {
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
	day := 24 * time.Hour
	// ids[0]: delivered 40 days ago; ids[1]: 31 days; ids[2]: 29 days;
	// ids[3]: rejected; ids[4]: pending.
	for i, at := range []time.Time{fixedNow.Add(-40 * day), fixedNow.Add(-31 * day), fixedNow.Add(-29 * day)} {
		rc := credit.Receipt{ApplicationID: ids[i], Digest: items0Digest(t, db, ids[i]), ServerSeq: int64(10 * (i + 1)), ReceivedAt: at}
		if err := db.MarkDelivered(ctx, rc); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkRejected(ctx, ids[3], "invalid"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		before time.Time
		n      int
		left   []string
	}{
		{"nothing older than 60 days", fixedNow.Add(-60 * day), 0, ids},
		{"30-day window", fixedNow.Add(-syncclient.RedeliverWindow), 2, ids[2:]},
		{"again: nothing more", fixedNow.Add(-syncclient.RedeliverWindow), 0, ids[2:]},
		{"a far cut-off never takes rejected or pending", fixedNow.Add(365 * day), 1, ids[3:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := db.PurgeDelivered(ctx, tt.before)
			if err != nil || n != tt.n {
				t.Fatalf("PurgeDelivered = %d, %v; want %d", n, err, tt.n)
			}
			all, err := db.Outbox(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range all {
				got = append(got, e.ID)
			}
			if len(got) != len(tt.left) {
				t.Fatalf("outbox holds %v, want %v", got, tt.left)
			}
			for i := range got {
				if got[i] != tt.left[i] {
					t.Fatalf("outbox holds %v, want %v", got, tt.left)
				}
			}
		})
	}
	// The applications themselves stay, as the citizen filed them.
	for _, id := range ids[:2] {
		if _, err := db.Objection(ctx, id); err != nil {
			t.Errorf("objection %s gone with its outbox row: %v", id, err)
		}
	}
}

// TestPurgeDeliveredInRound: with the real platform over HTTP, a delivered
// application's outbox row and frozen body leave the file at the end of
// the first successful round more than 30 days after its receipt by the
// platform's clock — whatever the device's clock says.
func TestPurgeDeliveredInRound(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	serverNow := func() time.Time { return time.Unix(0, clock.Load()) }
	device := func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) } // far ahead: must not matter
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "platform.db"), syncserver.Options{
		Devices: map[string]string{"tok-purge-1": "kiosk-1"}, PageLimit: 50, Now: serverNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ds := synth.Generate(7, 20)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	path := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, path, store.WithNow(device))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := syncclient.New(syncclient.Config{BaseURL: hs.URL, Token: "tok-purge-1", DeviceID: "kiosk-1",
		Outbox: db, Applier: db, PageLimit: 50, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Now: device})
	const canary = "CANARY-已送达-异议-4711"
	o := newObjection(ds.Records[0].ID, serverNow())
	o.SubjectID, o.SubjectName, o.Statement = ds.Records[0].SubjectID, "", canary
	for _, s := range ds.Subjects {
		if s.ID == o.SubjectID {
			o.SubjectName = s.Name
		}
	}
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	state := func() store.OutboxState {
		t.Helper()
		all, err := db.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			if e.ID == o.ID {
				return e.State
			}
		}
		return ""
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    store.OutboxState
	}{
		{"delivered", 0, store.OutboxDelivered},
		{"29 days on: kept for redelivery", 29 * 24 * time.Hour, store.OutboxDelivered},
		{"31 days on: purged", 2 * 24 * time.Hour, ""},
	}
	for _, st := range steps {
		clock.Add(int64(st.advance))
		if _, err := c.SyncOnce(ctx); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := state(); got != st.want {
			t.Fatalf("%s: outbox state %q, want %q", st.name, got, st.want)
		}
		if err := db.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countRaw(t, path, canary); st.want == store.OutboxDelivered && n < 2 {
			t.Fatalf("%s: the statement is %d times in the file, want the objection row and the frozen body; the check proves nothing", st.name, n)
		}
	}
	if _, err := db.Objection(ctx, o.ID); err != nil {
		t.Errorf("the objection went with its outbox row: %v", err)
	}
	// The statement still lives in the objection row; the frozen body
	// (JSON, with its own escaping) is what must be gone.
	if n := countRaw(t, path, canary); n != 1 {
		t.Errorf("the statement is still %d times in the file after the purge", n)
	}
}

// countRaw counts s in the database file and its -wal.
func countRaw(t *testing.T, path, s string) int {
	t.Helper()
	n := 0
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		n += bytes.Count(b, []byte(s))
	}
	return n
}

package store_test

import (
	"net/http/httptest"
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

// TestResyncEnforcesMissedDeletions is the legal case of sync.md §2.4 and
// F10/F11, with the real store, the real server and HTTP on 127.0.0.1: a
// terminal offline past the tombstone horizon (or across an epoch change)
// while records were withdrawn gets 410, resyncs from a snapshot, and the
// withdrawn records leave the cache and the raw .db/-wal/-shm bytes. The
// application captured offline reaches the platform exactly once.
func TestResyncEnforcesMissedDeletions(t *testing.T) {
	tests := []struct {
		name    string
		offline func(t *testing.T, srv *syncserver.Server, clock *atomic.Int64)
	}{
		{"offline past the tombstone horizon", func(t *testing.T, srv *syncserver.Server, clock *atomic.Int64) {
			clock.Add(int64(181 * 24 * time.Hour))
			if n, err := srv.Compact(t.Context()); err != nil || n != 2 {
				t.Fatalf("compact dropped %d tombstones, %v", n, err)
			}
		}},
		{"epoch rotated", func(t *testing.T, srv *syncserver.Server, clock *atomic.Int64) {
			if _, err := srv.RotateEpoch(t.Context()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			dir := t.TempDir()
			var clock atomic.Int64
			clock.Store(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC).UnixNano())
			now := func() time.Time { return time.Unix(0, clock.Load()) }
			srv, err := syncserver.Open(ctx, filepath.Join(dir, "platform.db"), syncserver.Options{
				Devices: map[string]string{"tok-resync-1": "kiosk-1"}, PageLimit: 50, Now: now,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ds := synth.Generate(7, 60)
			const canary1, canary2 = "CANARY-撤回-甲-31337", "CANARY-撤回-乙-27182"
			var victim1, victim2 string
			for i := range ds.Records {
				if ds.Records[i].SubjectID == synth.DemoID {
					continue
				}
				switch {
				case victim1 == "":
					victim1, ds.Records[i].Content = ds.Records[i].ID, canary1
				case victim2 == "":
					victim2, ds.Records[i].Content = ds.Records[i].ID, canary2
				}
			}
			if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()

			path := filepath.Join(dir, "kiosk.db")
			db, err := store.Open(ctx, path, store.WithNow(now))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c := syncclient.New(syncclient.Config{BaseURL: hs.URL, Token: "tok-resync-1", DeviceID: "kiosk-1",
				Outbox: db, Applier: db, PageLimit: 50, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Now: now})
			if _, err := c.SyncOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			if !store.RawContains(t, path, canary1) || !store.RawContains(t, path, canary2) {
				t.Fatal("canaries not cached before going offline; the test proves nothing")
			}

			// Offline: two records withdrawn, an objection captured here.
			for _, id := range []string{victim1, victim2} {
				if err := srv.WithdrawRecord(ctx, id, "withdrawn"); err != nil {
					t.Fatal(err)
				}
			}
			o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{
				ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName, RecordID: ds.Records[0].ID,
				Type: credit.ObjectionTypes[0], Statement: "离线期间提交的异议。", Contact: "13800000000",
				Channel: "kiosk-1", ReceivedAt: now(),
			})
			if err := db.SaveObjection(ctx, o); err != nil {
				t.Fatal(err)
			}
			tt.offline(t, srv, &clock)

			res, err := c.SyncOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// An epoch rotated without a recorded restore may have lost what
			// the platform acknowledged: the client sends its recent
			// applications once more (Redelivered) and the platform answers
			// with the receipt it holds; it still stores one (checked below).
			if res.Resyncs != 1 || res.Pushed != 1+res.Redelivered || res.Swept != 2 {
				t.Fatalf("round after the offline period: %+v", res)
			}
			for _, id := range []string{victim1, victim2} {
				for _, r := range mustRecords(t, db, ds) {
					if r.ID == id {
						t.Errorf("withdrawn record %s still cached", id)
					}
				}
			}
			for _, s := range []string{canary1, canary2} {
				if store.RawContains(t, path, s) {
					t.Errorf("%q survives the resync in the raw files", s)
				}
			}
			// Converged: the cache holds exactly the platform's rows.
			ss, _ := srv.Stats(ctx)
			ls, _ := db.Stats(ctx)
			if ls.Records != ss.Records || ls.Subjects != ss.Subjects {
				t.Errorf("cache %d subjects/%d records, platform %d/%d", ls.Subjects, ls.Records, ss.Subjects, ss.Records)
			}
			// Delivered exactly once, also after more rounds.
			for range 2 {
				if res, err := c.SyncOnce(ctx); err != nil || res.Resyncs != 0 || res.Pushed != 0 {
					t.Fatalf("later round %+v, %v", res, err)
				}
			}
			apps, err := srv.Applications(ctx)
			if err != nil || len(apps) != 1 || apps[0].ID != o.ID {
				t.Fatalf("platform applications %+v, %v", apps, err)
			}
			if pending, _ := db.PendingOutbox(ctx, 10); len(pending) != 0 {
				t.Errorf("outbox still pending: %+v", pending)
			}
			if got, _ := db.Objection(ctx, o.ID); got.Status != credit.StatusReceived {
				t.Errorf("objection status %q", got.Status)
			}
		})
	}
}

// mustRecords returns every cached record of the dataset's subjects.
func mustRecords(t *testing.T, db *store.DB, ds synth.Dataset) []credit.Record {
	t.Helper()
	var out []credit.Record
	for _, s := range ds.Subjects {
		rs, err := db.RecordsOf(t.Context(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rs...)
	}
	return out
}

package store_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// TestSnapshotBringsEarlierInquiries, with the real platform over HTTP and
// real store files: kiosk A logs an inquiry and uploads it; kiosk B,
// enrolled later, bootstraps from a snapshot begun after the entry's feed
// position — and still shows A's inquiry, once. A resync after an epoch
// rotation keeps it (remote_inquiries is outside the sweep) without
// doubling it.
func TestSnapshotBringsEarlierInquiries(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "platform.db"), syncserver.Options{
		Devices: map[string]string{"tok-a": "kiosk-A", "tok-b": "kiosk-B"}, PageLimit: 50, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ds := synth.Generate(3, 40)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	open := func(name, token, device string) (*store.DB, *syncclient.Client) {
		t.Helper()
		db, err := store.Open(ctx, filepath.Join(dir, name), store.WithNow(now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		c := syncclient.New(syncclient.Config{BaseURL: hs.URL, Token: token, DeviceID: device, Outbox: db, Applier: db,
			PageLimit: 50, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Now: now})
		return db, c
	}
	dbA, a := open("a.db", "tok-a", "kiosk-A")
	if _, err := a.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
		Purpose: credit.PurposeSelf, Channel: "kiosk-A", At: at.Add(-time.Hour)}
	if err := dbA.LogInquiry(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if left, err := dbA.UnsentInquiries(ctx, 0); err != nil || len(left) != 0 {
		t.Fatalf("A's inquiry not uploaded: %v %v", left, err)
	}

	dbB, b := open("b.db", "tok-b", "kiosk-B")
	wantOne := func(step string) {
		t.Helper()
		got, err := dbB.RemoteInquiriesOf(ctx, synth.DemoID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != q.ID || got[0].Channel != "kiosk-A" || !got[0].At.Equal(q.At) {
			t.Fatalf("%s: B shows %+v, want A's inquiry once", step, got)
		}
	}
	if _, err := b.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	wantOne("bootstrap")

	if _, err := srv.RotateEpoch(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := b.SyncOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Resyncs != 1 {
		t.Fatalf("round after the epoch rotation: %+v, want one resync", res)
	}
	wantOne("resync")
}

package syncclient

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// reportTrust lets the syncserver in these tests check trust lists and
// reports with app/report (cmd/syncserver registers the same in
// production).
type reportTrust struct{}

func (reportTrust) LoadTrustList(signed []byte, roots []ed25519.PublicKey, prev uint64) (*syncserver.TrustListInfo, error) {
	tl, err := report.LoadTrustList(signed, roots, prev)
	if err != nil {
		return nil, err
	}
	return &syncserver.TrustListInfo{Seq: tl.Seq, Root: tl.Root, NextRoot: tl.NextRoot, Signed: tl.Raw, Loaded: tl}, nil
}

func (reportTrust) VerifyReport(string, *syncserver.TrustListInfo, time.Time) protocol.VerifyV1 {
	return protocol.VerifyV1{}
}

// deviceTrust stands for the device's sink in these tests: check with
// the roots, refuse a rollback, keep the list in a real store. The
// devices' own glue is devicesync.Trust (cmd/internal/devicesync, which
// this package cannot import); it also follows root rotation.
type deviceTrust struct {
	db    *store.DB
	roots []ed25519.PublicKey
}

func (d deviceTrust) SaveTrustList(ctx context.Context, signed []byte) error {
	seq, _, err := d.db.TrustList(ctx)
	if err != nil {
		return err
	}
	tl, err := report.LoadTrustList(signed, d.roots, seq)
	if err != nil {
		return credit.Errorf(credit.EINVALID, "信任列表无效。", "The trust list was refused: %v", err)
	}
	_, err = d.db.SaveTrustList(ctx, tl.Seq, signed)
	return err
}

type failingSink struct {
	mu    sync.Mutex
	calls int
}

func (f *failingSink) SaveTrustList(context.Context, []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return errors.New("disk full")
}

func signList(t *testing.T, root ed25519.PrivateKey, seq uint64) []byte {
	t.Helper()
	b, err := report.SignTrustList(&report.TrustList{Seq: seq, IssuedAt: t0}, root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTrustListReachesDevice(t *testing.T) {
	syncserver.RegisterTrustVerifier(reportTrust{})
	rootPub, root, _ := ed25519.GenerateKey(nil)
	otherPub, other, _ := ed25519.GenerateKey(nil)
	f := newFixture(t, 0)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	roots := []ed25519.PublicKey{rootPub}

	// A sink that cannot store fails the round; nothing is applied.
	bad := &failingSink{}
	if _, _, err := f.srv.PublishTrustList(t.Context(), signList(t, root, 5), roots); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client(func(c *Config) { c.TrustLists = bad }).SyncOnce(t.Context()); err == nil || bad.calls == 0 {
		t.Fatalf("failing sink: %v (calls %d)", err, bad.calls)
	}
	if cur, _ := f.store.Cursor(t.Context()); cur != "" {
		t.Fatalf("cursor moved past an unsaved trust list: %q", cur)
	}

	c := f.client(func(c *Config) { c.TrustLists = deviceTrust{db: db, roots: roots} })
	if _, err := c.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if seq, b, _ := db.TrustList(t.Context()); seq != 5 || b == nil {
		t.Fatalf("device holds seq %d", seq)
	}
	// A list the device's roots did not sign is refused and sync goes on;
	// the server only takes it because its operator trusts that root.
	if _, _, err := f.srv.PublishTrustList(t.Context(), signList(t, other, 6), []ed25519.PublicKey{otherPub}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if seq, _, _ := db.TrustList(t.Context()); seq != 5 {
		t.Fatalf("foreign list stored: seq %d", seq)
	}
	if !strings.Contains(f.logs.String(), "trust list refused") {
		t.Fatalf("refusal not logged:\n%s", f.logs.String())
	}
	// A stored newer list is never replaced by an older one.
	if err := (deviceTrust{db: db, roots: roots}).SaveTrustList(t.Context(), signList(t, root, 4)); credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("rollback: %v", err)
	}
	if _, _, err := f.srv.PublishTrustList(t.Context(), signList(t, root, 7), roots); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if seq, _, _ := db.TrustList(t.Context()); seq != 7 {
		t.Fatalf("device holds seq %d, want 7", seq)
	}
}

// recordingSink keeps the seqs of the trust lists it was handed.
type recordingSink struct {
	mu   sync.Mutex
	seqs []uint64
}

func (r *recordingSink) SaveTrustList(_ context.Context, signed []byte) error {
	tl, err := report.ParseTrustList(signed)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seqs = append(r.seqs, tl.Seq)
	return nil
}

// A resync (as for a freshly enrolled device, or after the platform's
// epoch rotated) brings the current trust list in the snapshot, though
// the feed entry that published it lies before the snapshot's seq.
func TestSnapshotCarriesTrustList(t *testing.T) {
	syncserver.RegisterTrustVerifier(reportTrust{})
	rootPub, root, _ := ed25519.GenerateKey(nil)
	f := newFixture(t, 2)
	seed(t, f.srv, 5)
	for _, seq := range []uint64{3, 4} {
		if _, _, err := f.srv.PublishTrustList(t.Context(), signList(t, root, seq), []ed25519.PublicKey{rootPub}); err != nil {
			t.Fatal(err)
		}
	}
	// The feed is consumed by a client without a sink, so the device
	// never saw the feed entries; then the platform forces a resync.
	if _, err := f.client(nil).SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	sink := &recordingSink{}
	res, err := f.client(func(c *Config) { c.TrustLists = sink }).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Resyncs != 1 || len(sink.seqs) != 1 || sink.seqs[0] != 4 {
		t.Fatalf("resync %d, trust lists received %v; want the current one (4) once", res.Resyncs, sink.seqs)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if len(f.store.records) != 5 {
		t.Errorf("%d records after the resync, want 5", len(f.store.records))
	}
}

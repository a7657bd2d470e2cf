package e2e_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// scopedKiosk is one enrolled device of a scope with its own cache.
type scopedKiosk struct {
	path   string
	db     *store.DB
	client *syncclient.Client
}

func newScopedKiosk(t *testing.T, srv *syncserver.Server, url, id, scope string) *scopedKiosk {
	t.Helper()
	dir := t.TempDir()
	code, _, err := srv.AddDevice(t.Context(), id, scope)
	if err != nil {
		t.Fatal(err)
	}
	key, err := syncclient.LoadOrCreateDeviceKey(filepath.Join(dir, "kiosk.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncclient.Enroll(t.Context(), syncclient.EnrollConfig{BaseURL: url, DeviceID: id, Code: code, Key: key}); err != nil {
		t.Fatal(err)
	}
	k := &scopedKiosk{path: filepath.Join(dir, "kiosk.db")}
	if k.db, err = store.Open(t.Context(), k.path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.db.Close() })
	k.client = syncclient.New(syncclient.Config{BaseURL: url, Key: key, DeviceID: id, Outbox: k.db, Applier: k.db,
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, RequestTimeout: 10 * time.Second})
	return k
}

func (k *scopedKiosk) sync(t *testing.T) {
	t.Helper()
	if _, err := k.client.SyncOnce(t.Context()); err != nil {
		t.Fatalf("sync %s: %v", filepath.Base(filepath.Dir(k.path)), err)
	}
}

// holds reports whether the kiosk's cache has subject id, and how many of
// its records.
func (k *scopedKiosk) holds(t *testing.T, id string) (bool, int) {
	t.Helper()
	_, err := k.db.Subject(t.Context(), id)
	if credit.ErrorCode(err) == credit.ENOTFOUND {
		return false, 0
	} else if err != nil {
		t.Fatal(err)
	}
	recs, err := k.db.RecordsOf(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return true, len(recs)
}

// TestSubjectMovesCounty (issue 3): a subject re-put with another region
// leaves the devices of its old county without a trace (out_of_scope
// tombstones for it and its records, erased like any deletion), reaches
// the devices of its new county, and stays once on a province device.
func TestSubjectMovesCounty(t *testing.T) {
	ctx := t.Context()
	srv, err := syncserver.Open(ctx, filepath.Join(t.TempDir(), "server.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ds := synth.Generate(11, 60)
	subj := ds.Subjects[0]
	const nameCanary, recCanary = "金丝雀迁移甲", "金丝雀迁移记录乙"
	subj.Name = nameCanary
	from := subj.Region
	to := "620402"
	if strings.HasPrefix(from, "6204") {
		to = "620102"
	}
	rec := credit.Record{ID: "R-MOVE-CANARY-1", SubjectID: subj.ID, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚", Content: recCanary, SourceUnit: "兰州市城关区市场监督管理局", DocumentNo: "兰城市监罚〔2026〕901号",
		LegalBasis: "《中华人民共和国产品质量法》第四十九条", DecisionDate: time.Date(2026, 3, 2, 0, 0, 0, 0, credit.China),
		Tier: credit.TierGeneral, Version: 1}
	subjects := append([]credit.Subject{subj}, ds.Subjects[1:]...)
	if err := srv.PutSubjects(ctx, subjects, append(ds.Records, rec)); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	old := newScopedKiosk(t, srv, hs.URL, "KIOSK-OLD", from)
	dst := newScopedKiosk(t, srv, hs.URL, "KIOSK-NEW", to)
	prov := newScopedKiosk(t, srv, hs.URL, "KIOSK-PROV", "")
	for _, k := range []*scopedKiosk{old, dst, prov} {
		k.sync(t)
	}
	wantRecs := 1
	for _, r := range ds.Records {
		if r.SubjectID == subj.ID {
			wantRecs++
		}
	}
	for _, c := range []struct {
		name string
		k    *scopedKiosk
		has  bool
	}{{"old county", old, true}, {"new county", dst, false}, {"province", prov, true}} {
		if has, n := c.k.holds(t, subj.ID); has != c.has || (has && n != wantRecs) {
			t.Fatalf("before the move, %s device: holds %v with %d records, want %v with %d", c.name, has, n, c.has, wantRecs)
		}
	}
	assertInFiles(t, old.path, nameCanary, true)
	assertInFiles(t, old.path, recCanary, true)

	moved := subj
	moved.Region, moved.Version = to, 0
	if err := srv.PutSubjects(ctx, []credit.Subject{moved}, nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range []*scopedKiosk{old, dst, prov} {
		k.sync(t)
	}
	if has, n := old.holds(t, subj.ID); has || n != 0 {
		t.Errorf("old county device still holds the subject (%v) or %d records", has, n)
	}
	assertInFiles(t, old.path, nameCanary, false)
	assertInFiles(t, old.path, recCanary, false)
	for _, c := range []struct {
		name string
		k    *scopedKiosk
	}{{"new county", dst}, {"province", prov}} {
		has, n := c.k.holds(t, subj.ID)
		if !has || n != wantRecs {
			t.Errorf("after the move, %s device: holds %v with %d records, want %d", c.name, has, n, wantRecs)
		}
		if s, err := c.k.db.Subject(ctx, subj.ID); err != nil || s.Region != to {
			t.Errorf("%s device: subject region %q (%v), want %q", c.name, s.Region, err, to)
		}
	}
	// The other subjects of the old county stay where they were.
	for _, s := range ds.Subjects[1:] {
		if s.Region == from {
			if has, _ := old.holds(t, s.ID); !has {
				t.Errorf("old county device lost %s, which did not move", s.ID)
			}
			break
		}
	}

	// Moving back: the old county gets it again, the other one loses it.
	back := moved
	back.Region = from
	if err := srv.PutSubjects(ctx, []credit.Subject{back}, nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range []*scopedKiosk{old, dst, prov} {
		k.sync(t)
	}
	for _, c := range []struct {
		name string
		k    *scopedKiosk
		has  bool
	}{{"old county", old, true}, {"new county", dst, false}, {"province", prov, true}} {
		if has, n := c.k.holds(t, subj.ID); has != c.has || (has && n != wantRecs) {
			t.Errorf("after moving back, %s device: holds %v with %d records, want %v with %d", c.name, has, n, c.has, wantRecs)
		}
	}
	assertInFiles(t, dst.path, nameCanary, false)
}

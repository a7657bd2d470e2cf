package e2e_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// bootApplier is the kiosk's store, counting which path wrote the cache
// and changing the platform once, while the first snapshot page is applied.
type bootApplier struct {
	*store.DB
	during        func(ctx context.Context) error
	once          sync.Once
	snapPages     int
	changePages   int
	changeApplied int
}

func (a *bootApplier) ApplySnapshotPage(ctx context.Context, changes []credit.Change, token, after string) error {
	var err error
	a.once.Do(func() { err = a.during(ctx) })
	if err != nil {
		return err
	}
	a.snapPages++
	return a.DB.ApplySnapshotPage(ctx, changes, token, after)
}

func (a *bootApplier) ApplyPage(ctx context.Context, changes []credit.Change, next string, asOf time.Time) error {
	a.changePages++
	a.changeApplied += len(changes)
	return a.DB.ApplyPage(ctx, changes, next, asOf)
}

// An empty kiosk's first sync is a snapshot bootstrap (the bulk path),
// then the change feed from the snapshot's cursor: a record added and one
// withdrawn on the platform during the bootstrap arrive by delta, nothing
// is missed, and a cache with data never bootstraps again.
func TestEmptyCacheBootstrapsBySnapshot(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "server.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ds := synth.Generate(5, 120)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	key := enrol(t, srv, hs.URL, dir)
	db, err := store.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	withdrawn := ds.Records[0].ID
	added := ds.Records[1]
	added.ID, added.Title, added.Version = "R-BOOT-DELTA", "引导期间新增", 1
	app := &bootApplier{DB: db, during: func(ctx context.Context) error {
		if err := srv.PutSubjects(ctx, nil, []credit.Record{added}); err != nil {
			return err
		}
		return srv.WithdrawRecord(ctx, withdrawn, "withdrawn")
	}}
	client := syncclient.New(syncclient.Config{
		BaseURL: hs.URL, Key: key, DeviceID: deviceID, Outbox: db, Applier: app,
		PageLimit: 50, RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond,
	})
	if empty, err := db.CacheEmpty(ctx); err != nil || !empty {
		t.Fatalf("new cache: empty %v, %v", empty, err)
	}
	res, err := client.SyncOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if app.snapPages < 2 || res.Resyncs != 0 {
		t.Fatalf("first sync: %d snapshot pages, result %+v (want a snapshot bootstrap, not a resync)", app.snapPages, res)
	}
	if app.changeApplied != 2 {
		t.Errorf("the feed after the snapshot applied %d changes, want the 2 made during the bootstrap", app.changeApplied)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != len(ds.Records) || st.Subjects != len(ds.Subjects) || st.Cursor == "" {
		t.Fatalf("cache after bootstrap: %d records, %d subjects, cursor %q; want %d and %d", st.Records, st.Subjects, st.Cursor, len(ds.Records), len(ds.Subjects))
	}
	recs, err := db.RecordsOf(ctx, added.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if !hasRecord(recs, added.ID) {
		t.Errorf("record added during the bootstrap is missing")
	}
	recs, err = db.RecordsOf(ctx, ds.Records[0].SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	if hasRecord(recs, withdrawn) {
		t.Errorf("record withdrawn during the bootstrap is still cached")
	}
	if hits, err := db.SearchOrganisations(ctx, orgName(ds.Subjects), 5); err != nil || len(hits) == 0 {
		t.Errorf("name search after the bootstrap: %d hits, %v", len(hits), err)
	}

	// The next round reads deltas only.
	if empty, err := db.CacheEmpty(ctx); err != nil || empty {
		t.Fatalf("synced cache: empty %v, %v", empty, err)
	}
	more := ds.Records[2]
	more.ID, more.Version = "R-BOOT-NEXT", 1
	if err := srv.PutSubjects(ctx, nil, []credit.Record{more}); err != nil {
		t.Fatal(err)
	}
	snaps, applied := app.snapPages, app.changeApplied
	if _, err := client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if app.snapPages != snaps || app.changeApplied != applied+1 {
		t.Errorf("second round: %d snapshot pages, %d changes; want none and 1", app.snapPages-snaps, app.changeApplied-applied)
	}
}

func hasRecord(recs []credit.Record, id string) bool {
	for _, r := range recs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// orgName returns the name of the first organisation among subjects.
func orgName(subjects []credit.Subject) string {
	for _, s := range subjects {
		if s.Kind != credit.NaturalPerson {
			return s.Name
		}
	}
	return ""
}

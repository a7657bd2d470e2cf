package syncclient

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// TestCalendarPublishedReachesDevice publishes the 2027 notice on a real
// syncserver and syncs a device with a real store: the deadlines of its
// open applications that reach into 2027 move where the 2027 holidays
// fall and stop being provisional; a calendar signed by another key is
// refused with a log line and the old calendar kept.
func TestCalendarPublishedReachesDevice(t *testing.T) {
	ctx := t.Context()
	f := newFixture(t, 0)
	ds := synth.Generate(1, 10)
	if err := f.srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"), store.WithNow(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	base, err := credit.ReadHolidayYears(os.DirFS("../../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	live := credit.NewLiveCalendar(nil)
	platformPub, platform, _ := ed25519.GenerateKey(nil)
	otherPub, other, _ := ed25519.GenerateKey(nil)
	keeper := &store.CalendarKeeper{DB: db, Keys: []ed25519.PublicKey{platformPub}, Base: base, Now: func() time.Time { return t0 }, OnChange: live.Set}
	c := f.client(func(c *Config) { c.Outbox, c.Applier, c.Calendars = db, db, keeper })
	if _, err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	embedded, err := db.Calendar(ctx, base, "")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := db.RecordsOf(ctx, synth.DemoID)
	if err != nil || len(recs) < 2 {
		t.Fatalf("demo records: %d, %v", len(recs), err)
	}
	o := credit.NewObjection(embedded, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: recs[0].ID, Type: credit.ObjectionTypes[0], Statement: "该记录有误。", Contact: "13800000000", Channel: "kiosk-1",
		ReceivedAt: time.Date(2027, 9, 30, 10, 0, 0, 0, credit.China)})
	r := credit.NewRestoration(embedded, credit.Restoration{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: recs[1].ID, Performance: "已履行。", Committed: true, Contact: "13800000000", Channel: "kiosk-1",
		ReceivedAt: time.Date(2026, 12, 28, 10, 0, 0, 0, credit.China)})
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	if rc, err := db.RecountDeadlines(ctx, embedded, t0); err != nil || rc.Provisional != 2 {
		t.Fatalf("before the notice: %+v, %v", rc, err)
	}

	publish := func(key ed25519.PrivateKey, pub ed25519.PublicKey, version int64) {
		t.Helper()
		signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: version, Year: synth.Notice2027()}, key)
		if err != nil {
			t.Fatal(err)
		}
		if _, changed, err := f.srv.PublishCalendar(ctx, signed, []ed25519.PublicKey{pub}); err != nil || !changed {
			t.Fatalf("publish: %v (changed %v)", err, changed)
		}
		if _, err := c.SyncOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Signed by a key the device does not trust: refused, logged, kept.
	publish(other, otherPub, 1)
	if v, _ := db.CalendarVersion(ctx, "year:2027"); v != 0 || live.Current() != nil {
		t.Fatalf("foreign calendar kept (version %d)", v)
	}
	if !strings.Contains(f.logs.String(), "calendar refused") {
		t.Fatalf("refusal not logged:\n%s", f.logs.String())
	}

	publish(platform, platformPub, 2)
	if v, _ := db.CalendarVersion(ctx, "year:2027"); v != 2 {
		t.Fatalf("device holds version %d", v)
	}
	gotO, _ := db.Objection(ctx, o.ID)
	gotR, _ := db.Restoration(ctx, r.ID)
	tests := []struct {
		name      string
		was, got  time.Time
		wasS, now string
	}{
		{"objection label", o.LabelDue, gotO.LabelDue, "2027-10-01", "2027-10-08"},
		{"objection decision", o.DecisionDue, gotO.DecisionDue, "2027-10-11", "2027-10-15"},
		{"restoration acceptance", r.AcceptDue, gotR.AcceptDue, "2026-12-31", "2026-12-31"},
		{"restoration feedback", r.FeedbackDue, gotR.FeedbackDue, "2027-01-11", "2027-01-12"},
	}
	for _, tt := range tests {
		if w, g := tt.was.Format("2006-01-02"), tt.got.Format("2006-01-02"); w != tt.wasS || g != tt.now {
			t.Errorf("%s: %s → %s, want %s → %s", tt.name, w, g, tt.wasS, tt.now)
		}
	}
	for _, id := range []string{o.ID, r.ID} {
		if p, _ := db.DeadlinesProvisional(ctx, id); p {
			t.Errorf("%s still provisional", id)
		}
	}
	if cal := live.Current(); cal == nil || cal.IsWorkingDay(time.Date(2027, 10, 4, 10, 0, 0, 0, credit.China)) {
		t.Fatal("the live calendar did not get 2027")
	}
}

// TestCalendarReachesDeviceThroughSnapshot: a device that resyncs from a
// snapshot (epoch rotated after the calendar was published) gets the
// calendar from the snapshot's first page.
func TestCalendarReachesDeviceThroughSnapshot(t *testing.T) {
	ctx := t.Context()
	f := newFixture(t, 0)
	ds := synth.Generate(1, 5)
	if err := f.srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pub, key, _ := ed25519.GenerateKey(nil)
	c := f.client(func(c *Config) {
		c.Outbox, c.Applier, c.Calendars = db, db, &store.CalendarKeeper{DB: db, Keys: []ed25519.PublicKey{pub}}
	})
	if _, err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: synth.Notice2027()}, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.srv.PublishCalendar(ctx, signed, []ed25519.PublicKey{pub}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.RotateEpoch(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := c.SyncOnce(ctx)
	if err != nil || res.Resyncs == 0 {
		t.Fatalf("no resync: %+v, %v", res, err)
	}
	if v, _ := db.CalendarVersion(ctx, "year:2027"); v != 1 {
		t.Fatalf("calendar not taken from the snapshot: version %d", v)
	}
}

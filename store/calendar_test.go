package store_test

import (
	"context"
	"crypto/ed25519"
	"os"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

func embeddedYears(t testing.TB) []credit.HolidayYear {
	t.Helper()
	ys, err := credit.ReadHolidayYears(os.DirFS("../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	return ys
}

func signYear(t testing.TB, key ed25519.PrivateKey, version int64, y credit.HolidayYear) []byte {
	t.Helper()
	b, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: version, Year: y}, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, credit.China)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCalendarKeeperRecountsDeadlines(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	pub, key, _ := ed25519.GenerateKey(nil)
	_, foreign, _ := ed25519.GenerateKey(nil)
	base := embeddedYears(t)
	embedded, err := credit.CalendarSources{Base: base}.Build()
	if err != nil {
		t.Fatal(err)
	}
	// An objection over National Day 2027 and a restoration whose feedback
	// falls in January 2027, counted before the 2027 notice was out.
	pen := demoPenalty(t, db)
	recs, _ := db.RecordsOf(ctx, synth.DemoID)
	var other credit.Record
	for _, r := range recs {
		if r.ID != pen.ID {
			other = r
		}
	}
	o := credit.NewObjection(embedded, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: other.ID, Type: credit.ObjectionTypes[0], Statement: "该记录有误。", Contact: "13800000000", Channel: "kiosk-01",
		ReceivedAt: day(t, "2027-09-30 10:00")})
	r := credit.NewRestoration(embedded, credit.Restoration{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: pen.ID, Performance: "已履行。", Committed: true, Contact: "13800000000", Channel: "kiosk-01",
		ReceivedAt: day(t, "2026-12-28 10:00")})
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	rc, err := db.RecountDeadlines(ctx, embedded, fixedNow)
	if err != nil || rc.Checked != 2 || rc.Changed != 0 || rc.Provisional != 2 {
		t.Fatalf("first count %+v, %v", rc, err)
	}
	if p, _ := db.DeadlinesProvisional(ctx, o.ID); !p {
		t.Fatal("objection into 2027 not provisional")
	}

	var live *credit.HolidayCalendar
	k := &store.CalendarKeeper{DB: db, Keys: []ed25519.PublicKey{pub}, Base: base, Now: func() time.Time { return fixedNow },
		OnChange: func(c *credit.HolidayCalendar) { live = c }}
	refused := []struct {
		name   string
		signed []byte
		code   string
	}{
		{"foreign key", signYear(t, foreign, 1, synth.Notice2027()), credit.EUNAUTHORIZED},
		{"unsigned", []byte(`{"payload":"e30=","sig":""}`), credit.EUNAUTHORIZED},
		{"garbage", []byte("not json"), credit.EINVALID},
	}
	for _, tt := range refused {
		if err := k.ReceiveCalendar(ctx, tt.signed); credit.ErrorCode(err) != tt.code {
			t.Fatalf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	if v, _ := db.CalendarVersion(ctx, "year:2027"); v != 0 || live != nil {
		t.Fatalf("refused update kept: version %d", v)
	}

	if err := k.ReceiveCalendar(ctx, signYear(t, key, 2, synth.Notice2027())); err != nil {
		t.Fatal(err)
	}
	if live == nil || live.IsWorkingDay(day(t, "2027-10-04 10:00")) || live.Provisional(day(t, "2027-10-04 10:00")) {
		t.Fatal("OnChange did not get the calendar with 2027")
	}
	gotO, _ := db.Objection(ctx, o.ID)
	gotR, _ := db.Restoration(ctx, r.ID)
	for name, tt := range map[string]struct {
		got  time.Time
		was  time.Time
		want string
	}{
		"label":    {gotO.LabelDue, o.LabelDue, "2027-10-08"},
		"decision": {gotO.DecisionDue, o.DecisionDue, "2027-10-15"},
		"accept":   {gotR.AcceptDue, r.AcceptDue, "2026-12-31"},
		"feedback": {gotR.FeedbackDue, r.FeedbackDue, "2027-01-12"},
	} {
		if got := tt.got.Format("2006-01-02"); got != tt.want {
			t.Errorf("%s due %s (was %s), want %s", name, got, tt.was.Format("2006-01-02"), tt.want)
		}
	}
	for _, id := range []string{o.ID, r.ID} {
		if p, _ := db.DeadlinesProvisional(ctx, id); p {
			t.Errorf("%s still provisional", id)
		}
	}

	// The same update again changes nothing; an older or a different one
	// under the held version is refused and the held one kept.
	if err := k.ReceiveCalendar(ctx, signYear(t, key, 2, synth.Notice2027())); err != nil {
		t.Fatalf("same again: %v", err)
	}
	y := synth.Notice2027()
	y.Days = y.Days[:3]
	for name, signed := range map[string][]byte{"older": signYear(t, key, 1, y), "same version": signYear(t, key, 2, y)} {
		if err := k.ReceiveCalendar(ctx, signed); credit.ErrorCode(err) != credit.ECONFLICT {
			t.Fatalf("%s: %v", name, err)
		}
	}
	cal, err := db.Calendar(ctx, base, "")
	if err != nil || cal.IsWorkingDay(day(t, "2027-10-07 10:00")) {
		t.Fatalf("held calendar changed: %v", err)
	}
	// A reopened database (the next start) sees the synced year.
	if !cal.Covers(2027) {
		t.Fatal("2027 not covered")
	}
}

func TestCalendarCountiesUpdate(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	pub, key, _ := ed25519.GenerateKey(nil)
	k := &store.CalendarKeeper{DB: db, Keys: []ed25519.PublicKey{pub}, Base: embeddedYears(t), County: "622901"}
	linxia := credit.County{Prefix: "6229", Name: "临夏回族自治州", Dates: []credit.HolidayDay{{Name: "古尔邦节", Date: "2026-05-27", Off: true}}}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarCounties, Version: 1, Counties: []credit.County{linxia}}, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.ReceiveCalendar(ctx, signed); err != nil {
		t.Fatal(err)
	}
	cal, err := db.Calendar(ctx, k.Base, "622901")
	if err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkingDay(day(t, "2026-05-27 10:00")) || !cal.IsWorkingDay(day(t, "2026-11-19 10:00")) {
		t.Fatal("synced counties did not replace the built-in ones")
	}
}

func TestLocalDaysOffLogged(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	eid := credit.LocalDayOff{County: "622901", Date: "2027-03-10", Name: "开斋节", AddedBy: "S001"}
	if err := db.AddLocalDayOff(ctx, eid); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func(context.Context) error
		code string
	}{
		{"same date again", func(ctx context.Context) error { return db.AddLocalDayOff(ctx, eid) }, credit.ECONFLICT},
		{"impossible date", func(ctx context.Context) error {
			return db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2027-02-30", Name: "x", AddedBy: "S001"})
		}, credit.EINVALID},
		{"no name", func(ctx context.Context) error {
			return db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2027-03-11", Name: " ", AddedBy: "S001"})
		}, credit.EINVALID},
		{"not Gansu", func(ctx context.Context) error {
			return db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "110101", Date: "2027-03-11", Name: "x", AddedBy: "S001"})
		}, credit.EINVALID},
		{"remove missing", func(ctx context.Context) error { return db.RemoveLocalDayOff(ctx, "2027-03-11", "S001", time.Time{}) }, credit.ENOTFOUND},
	}
	for _, tt := range tests {
		if err := tt.run(ctx); credit.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	for county, want := range map[string]int{"622901": 1, "620102": 0, "": 0} {
		src, err := db.CalendarSources(ctx, nil, county)
		if err != nil || len(src.LocalDays) != want {
			t.Errorf("county %q: %d local days, want %d (%v)", county, len(src.LocalDays), want, err)
		}
	}
	if err := db.RemoveLocalDayOff(ctx, "2027-03-10", "S002", time.Time{}); err != nil {
		t.Fatal(err)
	}
	edits, err := db.CalendarEdits(ctx)
	if err != nil || len(edits) != 2 || edits[0].Action != "add" || edits[0].Clerk != "S001" ||
		edits[1].Action != "remove" || edits[1].Clerk != "S002" || edits[1].Name != "开斋节" || !edits[1].At.Equal(fixedNow) {
		t.Fatalf("edits %+v, %v", edits, err)
	}
	if days, _ := db.LocalDaysOff(ctx); len(days) != 0 {
		t.Fatalf("left %+v", days)
	}
}

// TestRecountLeavesPassedDeadlines: a correction does not move an
// application whose deadlines passed on the calendar of their day, and
// moves one still ahead.
func TestRecountLeavesPassedDeadlines(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	base := embeddedYears(t)
	national, err := credit.CalendarSources{Base: base}.Build()
	if err != nil {
		t.Fatal(err)
	}
	pen := demoPenalty(t, db)
	old := credit.NewObjection(national, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: pen.ID, Type: credit.ObjectionTypes[0], Statement: "该记录有误。", Contact: "13800000000", Channel: "kiosk-01",
		ReceivedAt: day(t, "2026-11-02 10:00")}) // decision due 2026-11-11
	if err := db.SaveObjection(ctx, old); err != nil {
		t.Fatal(err)
	}
	// A local day off on 4 November (Wednesday) now, after the fact, and
	// one on 2 December for what is still ahead.
	for _, d := range []string{"2026-11-04", "2026-12-02"} {
		if err := db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "620102", Date: d, Name: "测试", AddedBy: "S001"}); err != nil {
			t.Fatal(err)
		}
	}
	cal, err := db.Calendar(ctx, base, "620102")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := db.RecountDeadlines(ctx, cal, fixedNow)
	if err != nil || rc.Checked != 0 {
		t.Fatalf("passed deadlines recounted: %+v, %v", rc, err)
	}
	if got, _ := db.Objection(ctx, old.ID); !got.DecisionDue.Equal(old.DecisionDue) {
		t.Fatalf("passed decision due moved to %s", got.DecisionDue)
	}
	recs, _ := db.RecordsOf(ctx, synth.DemoID)
	var other credit.Record
	for _, r := range recs {
		if r.ID != pen.ID {
			other = r
		}
	}
	ahead := credit.NewObjection(national, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: other.ID, Type: credit.ObjectionTypes[0], Statement: "该记录有误。", Contact: "13800000000", Channel: "kiosk-01",
		ReceivedAt: fixedNow}) // decision due 2026-12-08
	if err := db.SaveObjection(ctx, ahead); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time it is marked, and still recounted
		if rc, err := db.RecountDeadlines(ctx, cal, fixedNow); err != nil || rc.Checked != 1 {
			t.Fatalf("ahead: %+v, %v", rc, err)
		}
	}
	if got, _ := db.Objection(ctx, ahead.ID); got.DecisionDue.Format("2006-01-02") != "2026-12-09" {
		t.Fatalf("decision due %s, want 2026-12-09", got.DecisionDue.Format("2006-01-02"))
	}
}

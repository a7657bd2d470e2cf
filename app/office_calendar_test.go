package app_test

import (
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
)

// TestLocalDaysOffSupervisorOnly: only a supervisor edits the county's
// local days off, each edit is logged with the supervisor's number, a
// clerk is refused with EUNAUTHORIZED and changes nothing; on a real
// store.
func TestLocalDaysOffSupervisorOnly(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := newOffice(t)
	f.office = app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue,
		Settings: db, Now: f.clock.Now, Argon2: apptest.FastArgon2, DeviceID: "office-622901"})
	for _, c := range []credit.Clerk{{ID: "S001", Name: "李强", Role: credit.RoleSupervisor}} {
		if err := f.office.AddClerk(ctx, c, clerkPassword); err != nil {
			t.Fatal(err)
		}
	}
	clerk := f.login(t)
	sup, err := f.office.Login(ctx, "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	// No county yet: nothing to attach the day to.
	if err := f.office.AddLocalDayOff(ctx, sup, "2027-03-10", "开斋节"); credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("without a county: %v", err)
	}
	if err := f.office.SaveSettings(ctx, sup, app.OfficeSettings{County: "622901"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		code string
	}{
		{"clerk adds", func() error { return f.office.AddLocalDayOff(ctx, clerk, "2027-03-10", "开斋节") }, credit.EUNAUTHORIZED},
		{"supervisor adds", func() error { return f.office.AddLocalDayOff(ctx, sup, " 2027-03-10 ", " 开斋节 ") }, ""},
		{"twice", func() error { return f.office.AddLocalDayOff(ctx, sup, "2027-03-10", "开斋节") }, credit.ECONFLICT},
		{"bad date", func() error { return f.office.AddLocalDayOff(ctx, sup, "2027-13-01", "x") }, credit.EINVALID},
		{"no name", func() error { return f.office.AddLocalDayOff(ctx, sup, "2027-05-16", "") }, credit.EINVALID},
		{"supervisor adds another", func() error { return f.office.AddLocalDayOff(ctx, sup, "2027-05-16", "古尔邦节") }, ""},
		{"clerk removes", func() error { return f.office.RemoveLocalDayOff(ctx, clerk, "2027-05-16") }, credit.EUNAUTHORIZED},
		{"supervisor removes", func() error { return f.office.RemoveLocalDayOff(ctx, sup, "2027-05-16") }, ""},
		{"remove missing", func() error { return f.office.RemoveLocalDayOff(ctx, sup, "2027-05-16") }, credit.ENOTFOUND},
	}
	for _, tt := range tests {
		if err := tt.run(); credit.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.code)
		}
	}
	days, err := f.office.LocalDaysOff(ctx, clerk)
	if err != nil || len(days) != 1 || days[0] != (credit.LocalDayOff{County: "622901", Date: "2027-03-10", Name: "开斋节", AddedBy: "S001", AddedAt: days[0].AddedAt}) {
		t.Fatalf("days %+v, %v", days, err)
	}
	if _, err := f.office.CalendarEdits(ctx, clerk); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("clerk reads the edit log: %v", err)
	}
	edits, err := f.office.CalendarEdits(ctx, sup)
	if err != nil || len(edits) != 3 {
		t.Fatalf("edits %+v, %v", edits, err)
	}
	for i, want := range []string{"add 2027-03-10", "add 2027-05-16", "remove 2027-05-16"} {
		if got := edits[i].Action + " " + edits[i].Date; got != want || edits[i].Clerk != "S001" {
			t.Errorf("edit %d: %s by %s, want %s by S001", i, got, edits[i].Clerk, want)
		}
	}
	// The local day counts in the office's calendar.
	cal, err := db.Calendar(ctx, nil, "622901")
	if err != nil {
		t.Fatal(err)
	}
	if eid := time.Date(2027, 3, 10, 10, 0, 0, 0, credit.China); cal.IsWorkingDay(eid) {
		t.Fatal("the local day off does not count")
	}
	// Without a store that keeps overrides the office says so.
	plain := app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue,
		Settings: apptest.NewDesk(f.queue), Now: f.clock.Now, Argon2: apptest.FastArgon2})
	cs, err := plain.Login(ctx, "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.LocalDaysOff(ctx, cs); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("plain settings: %v", err)
	}
}

// TestLocalDayOffStampedWithOfficeClock: a local day off and its edits
// carry the office's injected clock, not the store's own (here a
// different fixed clock, as the real clock would be in cmd/office).
func TestLocalDayOffStampedWithOfficeClock(t *testing.T) {
	ctx := t.Context()
	storeClock := time.Date(2031, 1, 2, 3, 4, 5, 0, credit.China)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"), store.WithNow(func() time.Time { return storeClock }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := newOffice(t)
	f.office = app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue,
		Settings: db, Now: f.clock.Now, Argon2: apptest.FastArgon2})
	if err := f.office.AddClerk(ctx, credit.Clerk{ID: "S001", Name: "李强", Role: credit.RoleSupervisor}, clerkPassword); err != nil {
		t.Fatal(err)
	}
	sup, err := f.office.Login(ctx, "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.office.SaveSettings(ctx, sup, app.OfficeSettings{County: "622901"}); err != nil {
		t.Fatal(err)
	}
	added := f.clock.Now()
	if err := f.office.AddLocalDayOff(ctx, sup, "2027-03-10", "开斋节"); err != nil {
		t.Fatal(err)
	}
	days, err := f.office.LocalDaysOff(ctx, sup)
	if err != nil || len(days) != 1 || !days[0].AddedAt.Equal(added) {
		t.Fatalf("days %+v, %v; want added at %v", days, err, added)
	}
	f.clock.Add(3 * time.Minute) // within the idle lock
	removed := f.clock.Now()
	if err := f.office.RemoveLocalDayOff(ctx, sup, "2027-03-10"); err != nil {
		t.Fatal(err)
	}
	edits, err := f.office.CalendarEdits(ctx, sup)
	if err != nil || len(edits) != 2 {
		t.Fatalf("edits %+v, %v", edits, err)
	}
	for i, want := range []time.Time{added, removed} {
		if !edits[i].At.Equal(want) {
			t.Errorf("edit %d (%s) at %v, want the office's %v (store clock %v)", i, edits[i].Action, edits[i].At, want, storeClock)
		}
	}
}

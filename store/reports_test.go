package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// The kiosk's report count and application lookup ports.
var (
	_ app.ReportLog         = (*store.DB)(nil)
	_ app.ApplicationLookup = (*store.DB)(nil)
)

func TestReportsIssued(t *testing.T) {
	db, _ := openSynth(t, 1, 5)
	ctx := t.Context()
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, credit.China)
	log := []struct {
		no, subject string
		at          time.Time
	}{
		{"620000K1-20251231-000001", synth.DemoID, jan1.Add(-time.Second)}, // last year
		{"620000K1-20260101-000000", synth.DemoID, jan1},
		{"620000K1-20261127-036000", synth.DemoID, fixedNow},
		{"620000K1-20261127-036000", synth.DemoID, fixedNow}, // the same report again
		{"620000K1-20261127-036001", "someone-else", fixedNow},
	}
	for _, l := range log {
		if err := db.LogReport(ctx, l.subject, l.no, l.at); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ReportsIssued(ctx, synth.DemoID, jan1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Equal(jan1) || !got[1].Equal(fixedNow) {
		t.Errorf("issued %v", got)
	}
	if a := credit.CountReports(got, fixedNow); a.Used != 2 {
		t.Errorf("allowance %+v", a)
	}
	if err := db.LogReport(ctx, "", "x", fixedNow); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("incomplete entry: %v", err)
	}
}

func TestApplicationByNo(t *testing.T) {
	db, _ := openSynth(t, 1, 5)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	o := newObjection(rec.ID, fixedNow)
	r := newRestoration(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ObjectionByNo(ctx, o.No); err != nil || got.ID != o.ID {
		t.Errorf("objection by no: %+v, %v", got, err)
	}
	if got, err := db.RestorationByNo(ctx, r.No); err != nil || got.ID != r.ID || !got.AcceptDue.Equal(r.AcceptDue) {
		t.Errorf("restoration by no: %+v, %v", got, err)
	}
	if _, err := db.ObjectionByNo(ctx, r.No); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("a restoration number found an objection: %v", err)
	}
	if _, err := db.RestorationByNo(ctx, "XF-20261127-00000000"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("unknown number: %v", err)
	}
}

// Issued reports wait in their own outbox until the platform answers,
// across a restart; a refusal is kept but no longer sent.
func TestReportRegistrations(t *testing.T) {
	ctx := t.Context()
	db, path := openTest(t)
	reg := func(no string, at time.Time) store.ReportRegistration {
		return store.ReportRegistration{No: no, Code: "7K3M9QZX", KID: "0123456789abcdef", IssuedAt: at, Expires: at.Add(90 * 24 * time.Hour),
			Type: 2, SubjectIDDisplay: "6201**********123X"}
	}
	a, b, c := reg("620000K1-20261127-036000", fixedNow), reg("620000K1-20261127-036001", fixedNow), reg("620000K1-20261127-036002", fixedNow)
	for _, r := range []store.ReportRegistration{a, b, b, c} { // b twice: once kept
		if err := db.QueueReportRegistration(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []store.ReportRegistration{{}, {No: "x", Code: "y", KID: "z", IssuedAt: fixedNow, Expires: fixedNow}} {
		if err := db.QueueReportRegistration(ctx, bad); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("incomplete %+v: %v", bad, err)
		}
	}
	if err := db.ReportRegistrationAttempt(ctx, a.No); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishReportRegistration(ctx, b.No, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishReportRegistration(ctx, c.No, "conflict: registered with other data"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.PendingReportRegistrations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	a.Attempts = 1
	if len(got) != 1 || !got[0].IssuedAt.Equal(a.IssuedAt) || !got[0].Expires.Equal(a.Expires) {
		t.Fatalf("pending after restart: %+v", got)
	}
	got[0].IssuedAt, got[0].Expires = a.IssuedAt, a.Expires
	if got[0] != a {
		t.Errorf("pending %+v, want %+v", got[0], a)
	}
	if none, err := db.PendingReportRegistrations(ctx, 0); err != nil || len(none) != 0 {
		t.Errorf("limit 0: %v, %v", none, err)
	}
}

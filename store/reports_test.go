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

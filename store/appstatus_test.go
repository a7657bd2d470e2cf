package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestApplicationStatusRestoration: the platform's news about a
// restoration reaches the device (note included), and a refused or
// restored restoration no longer blocks a new one for the record.
func TestApplicationStatusRestoration(t *testing.T) {
	db, _ := openSynth(t, 1, 5)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	obj := newObjection(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, obj); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		status credit.ApplicationStatus
		note   string
		ver    int64
		want   credit.ApplicationStatus
		reopen bool // another restoration may be filed afterwards
	}{
		{"received", credit.StatusReceived, "", 1, credit.StatusReceived, false},
		{"accepted", credit.StatusAccepted, "", 2, credit.StatusAccepted, false},
		{"stale news ignored", credit.StatusReceived, "", 1, credit.StatusAccepted, false},
		{"refused with reasons", credit.StatusRefused, "罚款尚未缴清。", 3, credit.StatusRefused, true},
	}
	r := newRestoration(rec.ID, fixedNow)
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := fixedNow.Add(time.Duration(i+1) * time.Hour)
			c := credit.Change{Seq: int64(100 + i), Op: credit.OpPut, Type: credit.TypeApplicationStatus, ID: r.ID, Version: tt.ver,
				Status: &credit.StatusUpdate{ApplicationID: r.ID, Status: tt.status, Note: tt.note, At: at}}
			if err := db.ApplyPage(ctx, []credit.Change{c}, "c", at); err != nil {
				t.Fatal(err)
			}
			got, err := db.ApplicationStatus(ctx, r.ID)
			if err != nil || got.Status != tt.want {
				t.Fatalf("status %+v, %v; want %s", got, err, tt.want)
			}
			if tt.want == tt.status && (got.Note != tt.note || !got.At.Equal(at)) {
				t.Errorf("note/at %q %v, want %q %v", got.Note, got.At, tt.note, at)
			}
			if rr, err := db.Restoration(ctx, r.ID); err != nil || rr.Status != tt.want {
				t.Errorf("Restoration status %q, %v", rr.Status, err)
			}
			err = db.SaveRestoration(ctx, newRestoration(rec.ID, at))
			if tt.reopen != (err == nil) {
				t.Errorf("new restoration after %s: %v (want allowed=%v)", tt.want, err, tt.reopen)
			}
		})
	}
	// The objection's status is read the same way; unknown ids are not found.
	if got, err := db.ApplicationStatus(ctx, obj.ID); err != nil || got.Status != credit.StatusQueued {
		t.Fatalf("objection status %+v, %v", got, err)
	}
	if _, err := db.ApplicationStatus(ctx, credit.NewUUID()); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown application: %v", err)
	}
}

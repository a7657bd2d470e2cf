package store_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

func newRestoration(recordID string, at time.Time) credit.Restoration {
	return credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{
		ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName, RecordID: recordID,
		Performance: "已缴清罚款并完成整改。", Committed: true, Contact: "13800000000", Channel: "kiosk-01", ReceivedAt: at,
	})
}

func TestSaveRestoration(t *testing.T) {
	db, _ := openSynth(t, 1, 5)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	r := newRestoration(rec.ID, fixedNow)
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		r        credit.Restoration
		wantCode string
		wantIn   string
	}{
		{"same id again is a no-op", r, "", ""},
		{"another open one conflicts", newRestoration(rec.ID, fixedNow.Add(time.Hour)), credit.ECONFLICT, r.No},
		{"not committed", func() credit.Restoration { x := newRestoration(rec.ID, fixedNow); x.Committed = false; return x }(), credit.EINVALID, ""},
		{"missing number", func() credit.Restoration { x := newRestoration(rec.ID, fixedNow); x.No = ""; return x }(), credit.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SaveRestoration(ctx, tt.r)
			if credit.ErrorCode(err) != tt.wantCode || !strings.Contains(credit.ErrorMessage(err), tt.wantIn) {
				t.Fatalf("SaveRestoration = %v, want code %q naming %q", err, tt.wantCode, tt.wantIn)
			}
		})
	}
	// A restoration does not block an objection, and vice versa.
	if err := db.SaveObjection(ctx, newObjection(rec.ID, fixedNow)); err != nil {
		t.Fatal(err)
	}
	items, err := db.PendingOutbox(ctx, 0)
	if err != nil || len(items) != 2 || items[0].ID != r.ID || items[0].Kind != credit.KindRestoration {
		t.Fatalf("outbox %+v, %v", items, err)
	}
	if err := db.MarkDelivered(ctx, credit.Receipt{ApplicationID: r.ID, Digest: items[0].Digest, ReceivedAt: fixedNow}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Restoration(ctx, r.ID)
	if err != nil || got.Status != credit.StatusReceived || !got.FeedbackDue.Equal(r.FeedbackDue) || got.Performance != r.Performance || !got.Committed {
		t.Fatalf("Restoration = %+v, %v", got, err)
	}
	st := credit.Change{Seq: 1, Op: credit.OpPut, Type: credit.TypeApplicationStatus, ID: r.ID, Version: 1,
		Status: &credit.StatusUpdate{ApplicationID: r.ID, Status: credit.StatusClosed, At: fixedNow}}
	if err := db.ApplyPage(ctx, []credit.Change{st}, "c", fixedNow); err != nil {
		t.Fatal(err)
	}
	rs, err := db.RestorationsOf(ctx, synth.DemoID)
	if err != nil || len(rs) != 1 || rs[0].Status != credit.StatusClosed {
		t.Fatalf("RestorationsOf = %+v, %v", rs, err)
	}
	// Closed: a new restoration may be filed.
	if err := db.SaveRestoration(ctx, newRestoration(rec.ID, fixedNow.Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Restoration(ctx, credit.NewUUID()); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown restoration: %v", err)
	}
}

// TestMigrateFromVersion1 opens a database left at schema 1 by an older
// program: Open applies the later migrations and keeps the data.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ds := synth.Generate(2, 5)
	if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE restorations", "PRAGMA user_version = 1",
		// undo migration 003 too (it adds columns, which cannot be re-added)
		"DROP TABLE resync_state", "DROP TABLE quarantine",
		"ALTER TABLE subjects DROP COLUMN resync_gen", "ALTER TABLE records DROP COLUMN resync_gen",
		// and 004 (inquiry chain) and 005 (clerks)
		"DROP TABLE inquiry_chain", "DROP TABLE audit_heads", "DROP TABLE clerks",
		// and 011 (record detail column)
		"ALTER TABLE records DROP COLUMN detail"} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.RestorationsOf(ctx, synth.DemoID); err != nil {
		t.Fatalf("restorations table not migrated: %v", err)
	}
	if _, err := db.Subject(ctx, synth.DemoID); err != nil {
		t.Fatalf("data lost in migration: %v", err)
	}
	if v := userVersion(t, path); v != store.SchemaVersion() || v < 2 {
		t.Fatalf("user_version %d", v)
	}
}

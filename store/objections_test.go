package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// demoPenalty returns the demo person's untrustworthiness record.
func demoPenalty(t *testing.T, db *store.DB) credit.Record {
	t.Helper()
	recs, err := db.RecordsOf(t.Context(), synth.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Category == credit.CategoryUntrustworthy {
			return r
		}
	}
	t.Fatal("demo person has no penalty")
	return credit.Record{}
}

// newObjection builds a valid objection against recordID received at.
func newObjection(recordID string, at time.Time) credit.Objection {
	return credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{
		ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName, RecordID: recordID,
		Type: credit.ObjectionTypes[0], Statement: "该处罚决定已被撤销。", Contact: "13800000000",
		Channel: "kiosk-01", ReceivedAt: at,
	})
}

func TestSaveObjection(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	if rec.UnderObjection {
		t.Fatal("UnderObjection before any objection")
	}
	o := newObjection(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	// Immediately visible as a label on the record.
	if got := demoPenalty(t, db); !got.UnderObjection {
		t.Fatal("UnderObjection not set after SaveObjection")
	}
	// Read back as saved.
	got, err := db.Objection(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ReceivedAt.Equal(o.ReceivedAt) || !got.DecisionDue.Equal(o.DecisionDue) || got.No != o.No ||
		got.Statement != o.Statement || got.Status != credit.StatusQueued || got.Type != o.Type {
		t.Fatalf("Objection = %+v, want %+v", got, o)
	}
	// The outbox holds the frozen body and its digest.
	items, err := db.PendingOutbox(ctx, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("PendingOutbox = %v, %v", items, err)
	}
	want, _ := json.Marshal(o)
	sum := sha256.Sum256(items[0].Body)
	if string(items[0].Body) != string(want) || items[0].Digest != hex.EncodeToString(sum[:]) || items[0].Kind != credit.KindObjection {
		t.Fatalf("outbox item %+v", items[0])
	}

	tests := []struct {
		name     string
		o        credit.Objection
		wantCode string
		wantIn   string
	}{
		{"same id again is a no-op", o, "", ""},
		{"another open objection conflicts", newObjection(rec.ID, fixedNow.Add(time.Hour)), credit.ECONFLICT, o.No},
		{"invalid id", func() credit.Objection { x := newObjection(rec.ID, fixedNow); x.ID = "nope"; return x }(), credit.EINVALID, ""},
		{"empty statement", func() credit.Objection { x := newObjection(rec.ID, fixedNow); x.Statement = " "; return x }(), credit.EINVALID, ""},
		{"missing number", func() credit.Objection { x := newObjection(rec.ID, fixedNow); x.No = ""; return x }(), credit.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SaveObjection(ctx, tt.o)
			if credit.ErrorCode(err) != tt.wantCode {
				t.Fatalf("SaveObjection = %v, want code %q", err, tt.wantCode)
			}
			if !strings.Contains(credit.ErrorMessage(err), tt.wantIn) || !strings.Contains(credit.ErrorMessageEN(err), tt.wantIn) {
				t.Fatalf("message %q / %q does not name %q", credit.ErrorMessage(err), credit.ErrorMessageEN(err), tt.wantIn)
			}
		})
	}
	items, _ = db.PendingOutbox(ctx, 10)
	objs, _ := db.ObjectionsOf(ctx, synth.DemoID)
	if len(items) != 1 || len(objs) != 1 {
		t.Fatalf("after rejected saves: %d outbox items, %d objections", len(items), len(objs))
	}
	if _, err := db.Objection(ctx, credit.NewUUID()); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown objection: %v", err)
	}
}

func TestObjectionClosesAndReopens(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	first := newObjection(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, first); err != nil {
		t.Fatal(err)
	}
	// The platform decides: not corrected. The record is free again.
	st := credit.Change{Seq: 1, Op: credit.OpPut, Type: credit.TypeApplicationStatus, ID: first.ID, Version: 1,
		Status: &credit.StatusUpdate{ApplicationID: first.ID, Status: credit.StatusNotCorrected, Note: "经核查，信息无误。", At: fixedNow}}
	if err := db.ApplyPage(ctx, []credit.Change{st}, "c1", fixedNow); err != nil {
		t.Fatal(err)
	}
	if demoPenalty(t, db).UnderObjection {
		t.Fatal("still under objection after a final decision")
	}
	second := newObjection(rec.ID, fixedNow.Add(48*time.Hour))
	if err := db.SaveObjection(ctx, second); err != nil {
		t.Fatalf("new objection after the first closed: %v", err)
	}
	objs, err := db.ObjectionsOf(ctx, synth.DemoID)
	if err != nil || len(objs) != 2 || objs[0].ID != second.ID || objs[1].Status != credit.StatusNotCorrected {
		t.Fatalf("ObjectionsOf = %+v, %v", objs, err)
	}
}

func TestOutboxLifecycle(t *testing.T) {
	db, ds := openSynth(t, 1, 10)
	ctx := t.Context()
	// Three objections against three different records, oldest first.
	var os []credit.Objection
	for i, r := range ds.Records[:3] {
		o := newObjection(r.ID, fixedNow.Add(time.Duration(i)*time.Minute))
		if err := db.SaveObjection(ctx, o); err != nil {
			t.Fatal(err)
		}
		os = append(os, o)
	}
	pending := func() []string {
		t.Helper()
		items, err := db.PendingOutbox(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		return ids
	}
	if got := pending(); len(got) != 3 || got[0] != os[0].ID || got[2] != os[2].ID {
		t.Fatalf("pending %v", got)
	}
	if items, _ := db.PendingOutbox(ctx, 2); len(items) != 2 {
		t.Fatalf("limit 2 gave %d", len(items))
	}
	// A failed attempt keeps the item at the head.
	if err := db.MarkAttempt(ctx, os[0].ID, "connection refused"); err != nil {
		t.Fatal(err)
	}
	items, _ := db.PendingOutbox(ctx, 1)
	if items[0].ID != os[0].ID || items[0].Attempts != 1 || items[0].LastError != "connection refused" {
		t.Fatalf("after attempt %+v", items[0])
	}
	// The platform rejects the first: the next one goes.
	if err := db.MarkRejected(ctx, os[0].ID, "422 digest mismatch"); err != nil {
		t.Fatal(err)
	}
	if got := pending(); len(got) != 2 || got[0] != os[1].ID {
		t.Fatalf("after reject pending %v", got)
	}
	if o, _ := db.Objection(ctx, os[0].ID); o.Status != credit.StatusRejected {
		t.Fatalf("rejected objection status %q", o.Status)
	}
	// Delivery stores the receipt and moves the objection to received.
	rc := credit.Receipt{ApplicationID: os[1].ID, Digest: items0Digest(t, db, os[1].ID), ServerSeq: 77, ReceivedAt: fixedNow, Signature: "sig"}
	for range 2 { // repeating is harmless
		if err := db.MarkDelivered(ctx, rc); err != nil {
			t.Fatal(err)
		}
	}
	if got := pending(); len(got) != 1 || got[0] != os[2].ID {
		t.Fatalf("after delivery pending %v", got)
	}
	if o, _ := db.Objection(ctx, os[1].ID); o.Status != credit.StatusReceived {
		t.Fatalf("delivered objection status %q", o.Status)
	}
	// A receipt for different content is refused.
	bad := credit.Receipt{ApplicationID: os[2].ID, Digest: strings.Repeat("0", 64), ReceivedAt: fixedNow}
	if err := db.MarkDelivered(ctx, bad); credit.ErrorCode(err) != credit.ECONFLICT {
		t.Fatalf("mismatched receipt: %v", err)
	}
	// Unknown items.
	for name, err := range map[string]error{
		"deliver":              db.MarkDelivered(ctx, credit.Receipt{ApplicationID: credit.NewUUID()}),
		"reject":               db.MarkRejected(ctx, credit.NewUUID(), "x"),
		"attempt":              db.MarkAttempt(ctx, credit.NewUUID(), "x"),
		"attempt on delivered": db.MarkAttempt(ctx, os[1].ID, "x"),
	} {
		if credit.ErrorCode(err) != credit.ENOTFOUND {
			t.Errorf("%s unknown: %v", name, err)
		}
	}
	// Staff see everything with its state.
	all, err := db.Outbox(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("Outbox = %v, %v", all, err)
	}
	wantStates := []store.OutboxState{store.OutboxRejected, store.OutboxDelivered, store.OutboxPending}
	for i, e := range all {
		if e.State != wantStates[i] {
			t.Errorf("item %d state %q, want %q", i, e.State, wantStates[i])
		}
	}
	if all[0].LastError != "422 digest mismatch" || all[1].Receipt == nil || all[1].Receipt.ServerSeq != 77 || !all[1].Receipt.ReceivedAt.Equal(fixedNow) {
		t.Fatalf("staff view %+v", all[:2])
	}
}

func items0Digest(t *testing.T, db *store.DB, id string) string {
	t.Helper()
	items, err := db.PendingOutbox(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.ID == id {
			return it.Digest
		}
	}
	t.Fatalf("no pending item %s", id)
	return ""
}

func TestInquiryLog(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	mk := func(min int) credit.Inquiry {
		return credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: "kiosk-01", At: fixedNow.Add(time.Duration(min) * time.Minute)}
	}
	a, b, c := mk(0), mk(5), mk(2)
	for _, q := range []credit.Inquiry{a, b, c, b} {
		if err := db.LogInquiry(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.InquiriesOf(ctx, synth.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != b || got[1] != c || got[2] != a {
		t.Fatalf("InquiriesOf = %+v", got)
	}
	for _, bad := range []credit.Inquiry{{}, {ID: "x", SubjectID: synth.DemoID}, {ID: "x", At: fixedNow}} {
		if err := db.LogInquiry(ctx, bad); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("LogInquiry(%+v) = %v", bad, err)
		}
	}
	if got, _ := db.InquiriesOf(ctx, "other"); len(got) != 0 {
		t.Fatalf("other subject %v", got)
	}
}

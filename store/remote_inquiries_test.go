package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

func TestInquiriesToThePlatformAndBack(t *testing.T) {
	ctx := t.Context()
	db, _ := openTest(t)
	ids := logChain(t, db, 3) // 3 on kiosk-01, 2 on kiosk-02 (same file: both are "own")

	unsent, err := db.UnsentInquiries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(unsent) != 5 || unsent[0].ID != ids[0] || unsent[0].Channel != "kiosk-01" || unsent[0].At.IsZero() {
		t.Fatalf("unsent = %+v, want 5 oldest first", unsent)
	}
	if got, _ := db.UnsentInquiries(ctx, 2); len(got) != 2 {
		t.Fatalf("limit 2 gave %d", len(got))
	}
	// Only what the platform acknowledged or refused leaves the queue.
	if err := db.MarkInquiriesSent(ctx, ids[:2], map[string]string{unsent[4].ID: "bad entry"}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkInquiriesSent(ctx, ids[:1], nil); err != nil { // again: no-op
		t.Fatal(err)
	}
	left, _ := db.UnsentInquiries(ctx, 10)
	if len(left) != 2 || left[0].ID != ids[2] {
		t.Fatalf("left = %+v, want ids[2] and one kiosk-02 entry", left)
	}
	if rej, _ := db.RejectedInquiries(ctx); rej[unsent[4].ID] != "bad entry" || len(rej) != 1 {
		t.Fatalf("rejected = %v", rej)
	}

	// The feed brings back our own entry (ignored) and one from another
	// terminal (kept apart, not in the chain), twice.
	own := unsent[0]
	other := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-9",
		Purpose: "administrative_licensing", AuthRef: "AUTH-1", Channel: "office-b", At: fixedNow.Add(90 * time.Second)}
	page := []credit.Change{
		{Seq: 1, Op: credit.OpPut, Type: credit.TypeInquiry, ID: own.ID, Version: 1, Inquiry: &own},
		{Seq: 2, Op: credit.OpPut, Type: credit.TypeInquiry, ID: other.ID, Version: 1, Inquiry: &other},
	}
	for range 2 {
		if err := db.ApplyPage(ctx, page, "c1", fixedNow); err != nil {
			t.Fatal(err)
		}
	}
	remote, err := db.RemoteInquiriesOf(ctx, synth.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	if len(remote) != 1 || remote[0] != other {
		t.Fatalf("remote = %+v, want only %+v", remote, other)
	}
	local, _ := db.InquiriesOf(ctx, synth.DemoID)
	if len(local) != 3 {
		t.Fatalf("local log has %d entries, want 3 (nothing added)", len(local))
	}
	rep, err := db.VerifyAuditChain(ctx)
	if err != nil || !rep.OK() || rep.Entries != 5 {
		t.Fatalf("audit after sync: %+v, %v", rep, err)
	}

	// An incomplete entry is quarantined, not applied, and the page goes on.
	bad := other
	bad.ID, bad.Channel = credit.NewUUID(), ""
	if err := db.ApplyPage(ctx, []credit.Change{{Seq: 3, Op: credit.OpPut, Type: credit.TypeInquiry, ID: bad.ID, Version: 1, Inquiry: &bad}}, "c2", fixedNow); err != nil {
		t.Fatal(err)
	}
	if remote, _ := db.RemoteInquiriesOf(ctx, synth.DemoID); len(remote) != 1 {
		t.Fatalf("incomplete entry stored: %+v", remote)
	}
}

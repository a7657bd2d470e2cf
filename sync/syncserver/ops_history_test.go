package syncserver

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestRecordHistoryReasonCodes: every change of a record that devices
// receive carries an Art. 44 reason code — published, correction by the
// source unit, objection upheld — and the history travels with the
// record; a record leaving the platform says why in its tombstone.
func TestRecordHistoryReasonCodes(t *testing.T) {
	r := newOpsRig(t, 3)
	ctx := t.Context()
	reasons := func(id string) []credit.ChangeReason {
		t.Helper()
		c, ok := r.latest(credit.TypeRecord, id)
		if !ok || c.Record == nil {
			t.Fatalf("no put of %s in the feed", id)
		}
		h, err := r.s.RecordHistory(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != len(c.Record.History) {
			t.Fatalf("platform history %+v, device gets %+v", h, c.Record.History)
		}
		var out []credit.ChangeReason
		for i, e := range c.Record.History {
			if e.At.IsZero() || e.Version <= 0 || (i > 0 && e.Version <= c.Record.History[i-1].Version) {
				t.Fatalf("history entry %+v out of order", e)
			}
			out = append(out, e.Reason)
		}
		if last := c.Record.History[len(c.Record.History)-1]; last.Version != c.Version {
			t.Fatalf("last history entry v%d, record v%d", last.Version, c.Version)
		}
		return out
	}
	same := func(got []credit.ChangeReason, want ...credit.ChangeReason) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("reasons %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("reasons %v, want %v", got, want)
			}
		}
	}
	same(reasons("RS000"), credit.ReasonPublished)

	// The source unit corrects the record.
	_, rs := subjectsAndRecords(1)
	rs[0].Content = "更正：罚款一千元"
	r.now = t0.Add(time.Hour)
	if err := r.s.PutSubjects(ctx, nil, rs); err != nil {
		t.Fatal(err)
	}
	same(reasons("RS000"), credit.ReasonPublished, credit.ReasonCorrection)

	// An objection is upheld with a corrected record.
	obj := r.receive(credit.KindObjection, "RS000", t0)
	for _, step := range []func() (ApplicationState, error){
		func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, obj) },
		func() (ApplicationState, error) { return r.s.StartReview(ctx, officer, obj) },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := r.latest(credit.TypeRecord, "RS000")
	fixed := *c.Record
	fixed.DocumentNo, fixed.History = "兰市监罚〔2026〕10号", nil // an officer's copy cannot rewrite the history
	if _, err := r.s.DecideObjection(ctx, officer, obj, true, "", &fixed); err != nil {
		t.Fatal(err)
	}
	same(reasons("RS000"), credit.ReasonPublished, credit.ReasonCorrection, credit.ReasonObjectionUpheld)

	// Records leaving the platform: the tombstone's why maps to a reason.
	if _, err := r.s.RevokeBasis(ctx, officer, "RS001", ""); err != nil {
		t.Fatal(err)
	}
	if err := r.s.WithdrawRecord(ctx, "RS002", "expired"); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]credit.ChangeReason{"RS001": credit.ReasonRevocation, "RS002": credit.ReasonExpiry} {
		c, _ := r.latest(credit.TypeRecord, id)
		if c.Op != credit.OpDel || credit.TombstoneReason(c.Reason) != want {
			t.Errorf("%s: %s why %q, want reason %s", id, c.Op, c.Reason, want)
		}
	}
	if _, err := r.s.RecordHistory(ctx, "RS001"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("history of a withdrawn record: %v", err)
	}
}

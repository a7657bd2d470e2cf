package syncserver

import (
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// TestRevokeClosesOpenApplications: revoking a record's basis closes the
// objections and restorations still open on it, with a reason, and sends
// each device the status news; decided-and-closed ones and applications
// about other records are left alone (Art. 48).
func TestRevokeClosesOpenApplications(t *testing.T) {
	r := newOpsRig(t, 3)
	ctx := t.Context()
	received := r.receive(credit.KindObjection, "RS000", t0)
	labelled := r.receive(credit.KindObjection, "RS000", t0)
	if _, err := r.s.ApplyLabel(ctx, officer, labelled); err != nil {
		t.Fatal(err)
	}
	restoration := r.receive(credit.KindRestoration, "RS000", t0)
	if _, err := r.s.AcceptRestoration(ctx, officer, restoration); err != nil {
		t.Fatal(err)
	}
	closed := r.receive(credit.KindRestoration, "RS000", t0)
	if _, err := r.s.RejectRestoration(ctx, officer, closed, "材料不全。"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.s.CloseApplication(ctx, officer, closed, ""); err != nil {
		t.Fatal(err)
	}
	other := r.receive(credit.KindObjection, "RS001", t0)

	rv, err := r.s.RevokeBasis(ctx, officer, "RS000", "复议决定撤销原处罚。")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rv.Closed, ",") != strings.Join([]string{received, labelled, restoration}, ",") {
		t.Fatalf("closed %v, want the three open ones in order of receipt", rv.Closed)
	}
	for _, id := range []string{received, labelled, restoration} {
		st, err := r.s.ApplicationState(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != credit.StatusClosed || !strings.Contains(st.Note, credit.BasisRevokedNote) || !strings.Contains(st.Note, "复议决定") || st.Pending != nil {
			t.Errorf("%s: %+v", id, st)
		}
		c, ok := r.latest(credit.TypeApplicationStatus, id)
		if !ok || c.Status == nil || c.Status.Status != credit.StatusClosed || !strings.Contains(c.Status.Note, credit.BasisRevokedNote) {
			t.Errorf("%s: the device gets %+v", id, c.Status)
		}
	}
	if st, _ := r.s.ApplicationState(ctx, closed); st.Status != credit.StatusClosed || st.Note != "材料不全。" {
		t.Errorf("already closed application changed: %+v", st)
	}
	if st, _ := r.s.ApplicationState(ctx, other); st.Status != credit.StatusReceived {
		t.Errorf("application on another record changed: %+v", st)
	}
}

// TestSetStatusFollowsTheLifecycle: the set-status path refuses illegal
// moves with both statuses named, asks for written reasons, and a legal
// decision has its effect on the record.
func TestSetStatusFollowsTheLifecycle(t *testing.T) {
	r := newOpsRig(t, 2)
	ctx := t.Context()
	obj := r.receive(credit.KindObjection, "RS000", t0)
	rest := r.receive(credit.KindRestoration, "RS001", t0)
	steps := []struct {
		name    string
		id      string
		to      credit.ApplicationStatus
		note    string
		code    string // "" = allowed
		inError string
	}{
		{"skip the label", obj, credit.StatusCorrected, "", credit.ECONFLICT, "it cannot become corrected"},
		{"close before deciding", obj, credit.StatusClosed, "", credit.ECONFLICT, "received"},
		{"restoration status on an objection", obj, credit.StatusAccepted, "", credit.ECONFLICT, ""},
		{"label", obj, credit.StatusLabelled, "", "", ""},
		{"review", obj, credit.StatusUnderReview, "", "", ""},
		{"not corrected without reasons", obj, credit.StatusNotCorrected, " ", credit.EINVALID, "Written reasons"},
		{"corrected", obj, credit.StatusCorrected, "", "", ""},
		{"back to review", obj, credit.StatusUnderReview, "", credit.ECONFLICT, ""},
		{"restored before accepted", rest, credit.StatusRestored, "", credit.ECONFLICT, "received"},
		{"accept", rest, credit.StatusAccepted, "", "", ""},
		{"restored", rest, credit.StatusRestored, "", "", ""},
		{"unknown application", credit.NewUUID(), credit.StatusClosed, "", credit.ENOTFOUND, ""},
	}
	for _, st := range steps {
		_, err := r.s.SetStatus(ctx, "cli", st.id, st.to, st.note)
		if got := credit.ErrorCode(err); err != nil && got != st.code || err == nil && st.code != "" {
			t.Fatalf("%s: SetStatus = %v (%s), want %q", st.name, err, got, st.code)
		}
		if st.inError != "" && !strings.Contains(credit.ErrorMessageEN(err), st.inError) {
			t.Errorf("%s: message %q lacks %q", st.name, credit.ErrorMessageEN(err), st.inError)
		}
	}
	// corrected withdrew RS000, restored deleted RS001.
	for id, why := range map[string]string{"RS000": WhyCorrected, "RS001": WhyRestored} {
		if c, _ := r.latest(credit.TypeRecord, id); c.Op != credit.OpDel || c.Reason != why {
			t.Errorf("%s: feed %+v, want a tombstone why %s", id, c, why)
		}
	}
}

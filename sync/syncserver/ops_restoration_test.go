package syncserver

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestRestorationOps(t *testing.T) {
	tests := []struct {
		name    string
		run     func(r *opsRig, id string) error
		code    string
		status  credit.ApplicationStatus
		note    string
		deleted bool // the record became a "restored" tombstone
	}{
		{"restored", func(r *opsRig, id string) error {
			if _, err := r.s.AcceptRestoration(r.t.Context(), officer, id); err != nil {
				return err
			}
			_, err := r.s.DecideRestoration(r.t.Context(), officer, id, true, "")
			return err
		}, "", credit.StatusRestored, "", true},
		{"refused with reasons", func(r *opsRig, id string) error {
			if _, err := r.s.AcceptRestoration(r.t.Context(), officer, id); err != nil {
				return err
			}
			_, err := r.s.DecideRestoration(r.t.Context(), officer, id, false, "整改未完成。")
			return err
		}, "", credit.StatusRefused, "整改未完成。", false},
		{"refused without reasons", func(r *opsRig, id string) error {
			if _, err := r.s.AcceptRestoration(r.t.Context(), officer, id); err != nil {
				return err
			}
			_, err := r.s.DecideRestoration(r.t.Context(), officer, id, false, "")
			return err
		}, credit.EINVALID, credit.StatusAccepted, "", false},
		{"rejected with reasons", func(r *opsRig, id string) error {
			_, err := r.s.RejectRestoration(r.t.Context(), officer, id, "材料不全：缺少信用承诺书。")
			return err
		}, "", credit.StatusRejected, "材料不全：缺少信用承诺书。", false},
		{"rejected without reasons", func(r *opsRig, id string) error {
			_, err := r.s.RejectRestoration(r.t.Context(), officer, id, "")
			return err
		}, credit.EINVALID, credit.StatusReceived, "", false},
		{"restored before acceptance", func(r *opsRig, id string) error {
			_, err := r.s.DecideRestoration(r.t.Context(), officer, id, true, "")
			return err
		}, credit.ECONFLICT, credit.StatusReceived, "", false},
		{"reviewed like an objection", func(r *opsRig, id string) error {
			_, err := r.s.StartReview(r.t.Context(), officer, id)
			return err
		}, credit.ECONFLICT, credit.StatusReceived, "", false},
		// A revoked basis closes the open application with the reason
		// (Art. 48); there is nothing left to decide.
		{"decided after a revocation", func(r *opsRig, id string) error {
			if _, err := r.s.AcceptRestoration(r.t.Context(), officer, id); err != nil {
				return err
			}
			if _, err := r.s.RevokeBasis(r.t.Context(), officer, "RS000", ""); err != nil {
				return err
			}
			_, err := r.s.DecideRestoration(r.t.Context(), officer, id, true, "")
			return err
		}, credit.ECONFLICT, credit.StatusClosed, credit.BasisRevokedNote, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newOpsRig(t, 2)
			id := r.receive(credit.KindRestoration, "RS000", t0)
			if err := tt.run(r, id); credit.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want %q", err, tt.code)
			}
			c, _ := r.latest(credit.TypeApplicationStatus, id)
			if c.Status.Status != tt.status || c.Status.Note != tt.note {
				t.Fatalf("device news %+v, want %s %q", c.Status, tt.status, tt.note)
			}
			rec, _ := r.latest(credit.TypeRecord, "RS000")
			switch {
			case tt.deleted && (rec.Op != credit.OpDel || rec.Reason != WhyRestored):
				t.Fatalf("record change %s %q, want a restored tombstone", rec.Op, rec.Reason)
			case !tt.deleted && rec.Op == credit.OpDel && rec.Reason == WhyRestored:
				t.Fatal("record deleted as restored")
			}
			var n int
			if err := r.s.db.QueryRowContext(t.Context(), `SELECT count(*) FROM records WHERE id = 'RS000'`).Scan(&n); err != nil || (n == 0) != (tt.deleted || rec.Op == credit.OpDel) {
				t.Fatalf("platform rows %d (%v)", n, err)
			}
		})
	}
}

func TestRevokeBasis(t *testing.T) {
	r := newOpsRig(t, 2)
	ctx := t.Context()
	rv, err := r.s.RevokeBasis(ctx, officer, "RS001", "复议决定撤销原处罚。")
	if err != nil {
		t.Fatal(err)
	}
	if rv.Version != 2 || !rv.WithdrawDue.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("revocation %+v", rv)
	}
	c, _ := r.latest(credit.TypeRecord, "RS001")
	if c.Op != credit.OpDel || c.Reason != WhyRevoked || c.Record != nil {
		t.Fatalf("feed %+v", c)
	}
	// The record's content left the log with its put.
	var n int
	if err := r.s.db.QueryRowContext(ctx, `SELECT count(*) FROM change_log WHERE CAST(payload AS TEXT) LIKE '%CANARY-S001%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("content still logged: %d %v", n, err)
	}
	if _, err := r.s.RevokeBasis(ctx, officer, "RS001", ""); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("second revocation: %v", err)
	}
}

func TestLabelReportAndOverdue(t *testing.T) {
	cst := credit.China
	filed := time.Date(2026, 11, 27, 10, 0, 0, 0, cst) // Friday: label due Mon 11-30, decision Tue 12-08
	tests := []struct {
		name      string
		labelAt   time.Time
		late      bool
		daysLate  int
		listAt    time.Time // OverdueApplications as of
		overdue   bool
		pending   string
		pendingWD int
	}{
		{"labelled Monday", time.Date(2026, 11, 30, 17, 0, 0, 0, cst), false, 0, time.Date(2026, 12, 8, 12, 0, 0, 0, cst), false, "decision", 0},
		{"labelled Tuesday", time.Date(2026, 12, 1, 9, 0, 0, 0, cst), true, 1, time.Date(2026, 12, 10, 12, 0, 0, 0, cst), true, "decision", 2},
		{"labelled Saturday", time.Date(2026, 11, 28, 9, 0, 0, 0, cst), false, 0, time.Date(2026, 12, 9, 0, 30, 0, 0, cst), true, "decision", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newOpsRig(t, 1)
			ctx := t.Context()
			r.now = filed.Add(time.Minute) // the kiosk delivered it at once
			id := r.receive(credit.KindObjection, "RS000", filed)
			r.now = tt.labelAt
			st, err := r.s.ApplyLabel(ctx, officer, id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Label == nil || st.Label.Late != tt.late || st.Label.WorkingDaysLate != tt.daysLate || !st.Label.At.Equal(tt.labelAt) {
				t.Fatalf("label report %+v", st.Label)
			}
			r.now = tt.listAt
			over, err := r.s.OverdueApplications(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (len(over) == 1) != tt.overdue {
				t.Fatalf("overdue %+v", over)
			}
			all, err := r.s.ApplicationStates(ctx)
			if err != nil || len(all) != 1 {
				t.Fatal(err)
			}
			p := all[0].Pending
			if p == nil || p.Name != tt.pending || p.WorkingDaysLate != tt.pendingWD || all[0].Label == nil {
				t.Fatalf("pending %+v label %+v", p, all[0].Label)
			}
		})
	}
}

func TestOverdueUsesFilingTime(t *testing.T) {
	r := newOpsRig(t, 2)
	// Filed at a kiosk that was offline for a week: the platform is late
	// from the day it hears of it, counted from the citizen's filing.
	filed := time.Date(2026, 11, 20, 10, 0, 0, 0, credit.China) // Friday
	r.now = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	obj := r.receive(credit.KindObjection, "RS000", filed)
	rest := r.receive(credit.KindRestoration, "RS001", filed)
	over, err := r.s.OverdueApplications(t.Context())
	if err != nil || len(over) != 2 {
		t.Fatalf("overdue %+v, %v", over, err)
	}
	want := map[string][2]any{obj: {"label", 4}, rest: {"acceptance", 2}}
	for _, a := range over {
		if w := want[a.ID]; a.Pending.Name != w[0] || a.Pending.WorkingDaysLate != w[1] {
			t.Errorf("%s: pending %+v, want %v", a.Kind, a.Pending, w)
		}
	}
	// A kiosk clock running ahead does not push the deadline back: the
	// platform's receipt caps the filing time.
	r.now = time.Date(2026, 11, 23, 10, 0, 0, 0, credit.China) // Monday
	ahead := r.receive(credit.KindObjection, "RS000", time.Date(2026, 12, 25, 10, 0, 0, 0, credit.China))
	if st, err := r.s.ApplicationState(t.Context(), ahead); err != nil || !st.ReceivedAt.Equal(r.now) ||
		!st.Pending.Due.Equal(time.Date(2026, 11, 24, 23, 59, 59, 0, credit.China)) {
		t.Fatalf("future-dated filing: %+v %+v (%v)", st, st.Pending, err)
	}
	r.now = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	if _, err := r.s.ApplyLabel(t.Context(), officer, ahead); err != nil {
		t.Fatal(err)
	}
	// Deciding stops the clock.
	if _, err := r.s.RejectRestoration(t.Context(), officer, rest, "不属于可修复范围。"); err != nil {
		t.Fatal(err)
	}
	if over, _ := r.s.OverdueApplications(t.Context()); len(over) != 1 || over[0].ID != obj {
		t.Fatalf("after the decision: %+v", over)
	}
}

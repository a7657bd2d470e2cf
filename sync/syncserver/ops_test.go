package syncserver

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

const officer = "officer-7"

// opsRig is a server on a real SQLite file with a clock the test moves,
// seeded with subjects S000.. and records RS000...
type opsRig struct {
	t   *testing.T
	s   *Server
	now time.Time
}

func newOpsRig(t *testing.T, records int) *opsRig {
	t.Helper()
	r := &opsRig{t: t, now: t0}
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), Options{
		Devices:  map[string]string{tokA: "kiosk-a"},
		Officers: map[string]string{"officer-token-0001": officer},
		Now:      func() time.Time { return r.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r.s = s
	ss, rs := subjectsAndRecords(records)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	return r
}

// receive files an application of kind against record as device kiosk-a,
// filed by the citizen at filed.
func (r *opsRig) receive(kind credit.ApplicationKind, record string, filed time.Time) string {
	r.t.Helper()
	id := credit.NewUUID()
	var v any
	switch kind {
	case credit.KindObjection:
		v = credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: id, SubjectID: "S000", RecordID: record,
			Type: credit.ObjWrongInfo, Statement: "决定书编号有误。", ReceivedAt: filed})
	default:
		v = credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: id, SubjectID: "S000", RecordID: record,
			Performance: "罚款已缴清。", Committed: true, ReceivedAt: filed})
	}
	body, err := json.Marshal(v)
	if err != nil {
		r.t.Fatal(err)
	}
	if _, _, err := r.s.receive(r.t.Context(), "kiosk-a", kind, id, body); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// feed returns every change device kiosk-a would receive from the start.
func (r *opsRig) feed() []credit.Change {
	r.t.Helper()
	b, _, _, err := r.s.page(r.t.Context(), "kiosk-a", 0, protocol.MaxPageLimit)
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := protocol.DecodePage(bytes.NewReader(b), 0)
	if err != nil {
		r.t.Fatal(err)
	}
	return p.Changes
}

// latest returns the newest change about (typ, id) in the feed.
func (r *opsRig) latest(typ credit.ChangeType, id string) (credit.Change, bool) {
	var got credit.Change
	found := false
	for _, c := range r.feed() {
		if c.Type == typ && c.ID == id {
			got, found = c, true
		}
	}
	return got, found
}

func TestObjectionLifecycleOps(t *testing.T) {
	r := newOpsRig(t, 3)
	ctx := t.Context()
	obj := r.receive(credit.KindObjection, "RS000", t0)
	rest := r.receive(credit.KindRestoration, "RS001", t0)
	steps := []struct {
		name string
		op   func() (ApplicationState, error)
		code string
		want credit.ApplicationStatus // status afterwards
	}{
		{"review before label", func() (ApplicationState, error) { return r.s.StartReview(ctx, officer, obj) }, credit.ECONFLICT, credit.StatusReceived},
		{"decide before label", func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, false, "理由", nil)
		}, credit.ECONFLICT, credit.StatusReceived},
		{"label a restoration", func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, rest) }, credit.ECONFLICT, credit.StatusReceived},
		{"label", func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, obj) }, "", credit.StatusLabelled},
		{"label twice", func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, obj) }, credit.ECONFLICT, credit.StatusLabelled},
		{"review", func() (ApplicationState, error) { return r.s.StartReview(ctx, officer, obj) }, "", credit.StatusUnderReview},
		{"not corrected without reasons", func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, false, " ", nil)
		}, credit.EINVALID, credit.StatusUnderReview},
		{"not corrected with a record", func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, false, "理由", &credit.Record{})
		}, credit.EINVALID, credit.StatusUnderReview},
		{"not corrected", func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, false, "经核查，原处罚决定认定事实清楚。", nil)
		}, "", credit.StatusNotCorrected},
		{"decided twice", func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, true, "", nil)
		}, credit.ECONFLICT, credit.StatusNotCorrected},
		{"close", func() (ApplicationState, error) { return r.s.CloseApplication(ctx, officer, obj, "") }, "", credit.StatusClosed},
		{"unknown application", func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, credit.NewUUID()) }, credit.ENOTFOUND, credit.StatusClosed},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := st.op()
			if credit.ErrorCode(err) != st.code {
				t.Fatalf("err = %v, want code %q", err, st.code)
			}
			if err == nil && got.Status != st.want {
				t.Errorf("returned status %s, want %s", got.Status, st.want)
			}
			now, err := r.s.ApplicationState(ctx, obj)
			if err != nil || now.Status != st.want {
				t.Fatalf("stored status %s (%v), want %s", now.Status, err, st.want)
			}
			// The device's feed carries the same status (one op per application).
			c, ok := r.latest(credit.TypeApplicationStatus, obj)
			if !ok || c.Status == nil || c.Status.Status != st.want {
				t.Fatalf("feed status %+v", c.Status)
			}
		})
	}
	// The written reasons are kept in the officer's history too.
	var reasons string
	if err := r.s.db.QueryRowContext(ctx, `SELECT reasons FROM officer_actions WHERE application_id = ? AND to_status = ?`, obj, credit.StatusNotCorrected).Scan(&reasons); err != nil || reasons == "" {
		t.Fatalf("officer action reasons %q, %v", reasons, err)
	}
	// Nothing happened to the record.
	if c, ok := r.latest(credit.TypeRecord, "RS000"); !ok || c.Op != credit.OpPut || c.Version != 1 {
		t.Fatalf("record after not corrected: %+v", c)
	}
}

func TestObjectionNotCorrectedNoteReachesFeed(t *testing.T) {
	r := newOpsRig(t, 1)
	ctx := t.Context()
	obj := r.receive(credit.KindObjection, "RS000", t0)
	for _, op := range []func() (ApplicationState, error){
		func() (ApplicationState, error) { return r.s.ApplyLabel(ctx, officer, obj) },
		func() (ApplicationState, error) { return r.s.StartReview(ctx, officer, obj) },
		func() (ApplicationState, error) {
			return r.s.DecideObjection(ctx, officer, obj, false, "书面理由：认定无误。", nil)
		},
	} {
		if _, err := op(); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := r.latest(credit.TypeApplicationStatus, obj)
	if c.Status.Status != credit.StatusNotCorrected || c.Status.Note != "书面理由：认定无误。" || c.Version != 4 {
		t.Fatalf("feed %+v ver %d", c.Status, c.Version)
	}
	// Closing without a note keeps the written reasons on the device.
	if _, err := r.s.CloseApplication(ctx, officer, obj, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := r.latest(credit.TypeApplicationStatus, obj); c.Status.Status != credit.StatusClosed || c.Status.Note != "书面理由：认定无误。" {
		t.Fatalf("closed: %+v", c.Status)
	}
}

func TestObjectionCorrected(t *testing.T) {
	tests := []struct {
		name    string
		record  func(old credit.Record) *credit.Record
		code    string
		wantOp  credit.ChangeOp
		wantWhy string
	}{
		{"withdrawn", func(credit.Record) *credit.Record { return nil }, "", credit.OpDel, WhyCorrected},
		{"replaced", func(old credit.Record) *credit.Record {
			old.Content, old.DocumentNo = "更正后的内容", "兰市监罚〔2026〕10号"
			return &old
		}, "", credit.OpPut, ""},
		{"other record", func(old credit.Record) *credit.Record { old.ID = "RS001"; return &old }, credit.EINVALID, credit.OpPut, ""},
		{"other subject", func(old credit.Record) *credit.Record { old.SubjectID = "S001"; return &old }, credit.EINVALID, credit.OpPut, ""},
		{"invalid record", func(old credit.Record) *credit.Record { old.SourceUnit = ""; return &old }, credit.EINVALID, credit.OpPut, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newOpsRig(t, 2)
			ctx := t.Context()
			obj := r.receive(credit.KindObjection, "RS000", t0)
			if _, err := r.s.ApplyLabel(ctx, officer, obj); err != nil {
				t.Fatal(err)
			}
			if _, err := r.s.StartReview(ctx, officer, obj); err != nil {
				t.Fatal(err)
			}
			before, _ := r.latest(credit.TypeRecord, "RS000")
			_, err := r.s.DecideObjection(ctx, officer, obj, true, "", tt.record(*before.Record))
			if credit.ErrorCode(err) != tt.code {
				t.Fatalf("DecideObjection = %v, want %q", err, tt.code)
			}
			c, _ := r.latest(credit.TypeRecord, "RS000")
			st, _ := r.s.ApplicationState(ctx, obj)
			if tt.code != "" {
				// Rolled back as a whole: status and record untouched.
				if st.Status != credit.StatusUnderReview || c.Version != 1 {
					t.Fatalf("after a refused decision: status %s, record ver %d", st.Status, c.Version)
				}
				return
			}
			if st.Status != credit.StatusCorrected || c.Op != tt.wantOp || c.Reason != tt.wantWhy || c.Version != 2 {
				t.Fatalf("status %s, record change %s why %q ver %d", st.Status, c.Op, c.Reason, c.Version)
			}
			if c.Op == credit.OpPut && c.Record.Content != "更正后的内容" {
				t.Fatalf("corrected content %q", c.Record.Content)
			}
		})
	}
}

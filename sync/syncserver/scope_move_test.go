package syncserver

import (
	"bytes"
	"slices"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// TestSubjectMoveFeed: a subject of 620102 re-put in 620402 reaches
// kiosk-a (620102) as out_of_scope tombstones of it and its records,
// carrying no personal data, and kiosk-b (6204) as puts, with the inquiry
// log entries about it; a re-put in the same region sends no tombstone.
func TestSubjectMoveFeed(t *testing.T) {
	r := newScopeRig(t)
	_, _, curA := r.pullAll(r.a, "")
	_, _, curB := r.pullAll(r.b, "")
	var subj credit.Subject
	var recs []string
	for _, s := range r.ds.Subjects {
		recs = recs[:0]
		for _, rec := range r.ds.Records {
			if rec.SubjectID == s.ID {
				recs = append(recs, "record/"+rec.ID)
			}
		}
		if s.Region == "620102" && len(recs) > 0 {
			subj = s
			break
		}
	}
	if subj.ID == "" {
		t.Fatal("no subject of 620102 with records in the dataset")
	}
	want := append([]string{"subject/" + subj.ID}, recs...)
	slices.Sort(want)

	// A re-put in the same region: a put for kiosk-a, no tombstone.
	same := subj
	same.Version = 0
	if err := r.s.PutSubjects(t.Context(), []credit.Subject{same}, nil); err != nil {
		t.Fatal(err)
	}
	putsA, delsA, curA2 := r.pullAll(r.a, curA)
	if len(delsA) != 0 || !slices.Equal(putsA, []string{"subject/" + subj.ID}) {
		t.Errorf("re-put in the same region: kiosk-a puts %v dels %v", putsA, delsA)
	}
	curA = curA2

	// An inquiry about it made at kiosk-a follows it to the new county.
	q := wireInquiry("q-move", "kiosk-a", r.s.now())
	q.SubjectID = subj.ID
	if ack, err := r.s.ReceiveInquiries(t.Context(), "kiosk-a", []protocol.InquiryV1{q}); err != nil || len(ack.Acked) != 1 {
		t.Fatalf("inquiry: %+v %v", ack, err)
	}
	_, _, curA = r.pullAll(r.a, curA)
	wantPuts := append([]string{"inquiry/q-move"}, want...)
	slices.Sort(wantPuts)

	moved := subj
	moved.Region, moved.Version = "620402", 0
	if err := r.s.PutSubjects(t.Context(), []credit.Subject{moved}, nil); err != nil {
		t.Fatal(err)
	}
	p, code, body := r.a.page(curA, 0)
	if code != 200 {
		t.Fatalf("kiosk-a: %d %s", code, body)
	}
	if bytes.Contains(body, []byte(subj.Name)) {
		t.Error("kiosk-a's page carries the moved subject's name")
	}
	var dels []string
	for _, ch := range p.Changes {
		if ch.Op != credit.OpDel || ch.Reason != ReasonOutOfScope || ch.Subject != nil || ch.Record != nil {
			t.Errorf("kiosk-a got %+v, want a bare out_of_scope tombstone", ch)
		}
		dels = append(dels, string(ch.Type)+"/"+ch.ID)
	}
	slices.Sort(dels)
	if !slices.Equal(dels, want) {
		t.Errorf("kiosk-a tombstones %v, want %v", dels, want)
	}
	putsB, delsB, _ := r.pullAll(r.b, curB)
	if len(delsB) != 0 || !slices.Equal(putsB, wantPuts) {
		t.Errorf("kiosk-b: puts %v dels %v, want puts %v", putsB, delsB, wantPuts)
	}
	// A new device of 620402 gets it by snapshot; one of 620102 does not.
	if err := r.s.SetDeviceScope(t.Context(), "kiosk-a", "620402"); err != nil {
		t.Fatal(err)
	}
	snap, _ := r.snapshotAll(r.a)
	for _, k := range want {
		if !slices.Contains(snap, k) {
			t.Errorf("snapshot of 620402 lacks %s", k)
		}
	}
	if err := r.s.SetDeviceScope(t.Context(), "kiosk-a", "620102"); err != nil {
		t.Fatal(err)
	}
	snap, _ = r.snapshotAll(r.a)
	for _, k := range want {
		if slices.Contains(snap, k) {
			t.Errorf("snapshot of 620102 still holds %s", k)
		}
	}
}

package store_test

import (
	"slices"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

func TestEvidenceSyncState(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	o := newObjection(demoPenalty(t, db).ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	attach := func(name string, data []byte) credit.Evidence {
		t.Helper()
		e, err := db.AddEvidence(ctx, credit.Evidence{ApplicationID: o.ID, Name: name}, data)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	pending := func() []string {
		t.Helper()
		list, err := db.PendingEvidence(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range list {
			if e.ApplicationID != o.ID || e.Size == 0 || e.Type == "" {
				t.Errorf("pending item %+v", e)
			}
			names = append(names, e.Name)
		}
		return names
	}
	a, b := attach("a.pdf", pdf), attach("b.png", png)
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"both pending", func() error { return nil }, []string{"a.pdf", "b.png"}},
		{"a sent", func() error { return db.MarkEvidenceSent(ctx, o.ID, []string{a.SHA256}) }, []string{"b.png"}},
		{"a sent again: no-op", func() error { return db.MarkEvidenceSent(ctx, o.ID, []string{a.SHA256}) }, []string{"b.png"}},
		{"b refused", func() error { return db.MarkEvidenceRefused(ctx, o.ID, b.SHA256, "Only PDF, JPEG or PNG") }, nil},
		{"a refusal after sent does not change it", func() error { return db.MarkEvidenceRefused(ctx, o.ID, a.SHA256, "late") }, nil},
		{"a later attachment is pending", func() error { attach("c.jpg", jpeg); return nil }, []string{"c.jpg"}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := pending(); !slices.Equal(got, st.want) {
			t.Fatalf("%s: pending %v, want %v", st.name, got, st.want)
		}
	}
	if r, err := db.EvidenceRefusal(ctx, o.ID, b.SHA256); err != nil || r != "Only PDF, JPEG or PNG" {
		t.Errorf("refusal of b = %q, %v", r, err)
	}
	if r, err := db.EvidenceRefusal(ctx, o.ID, a.SHA256); err != nil || r != "" {
		t.Errorf("refusal of a (sent) = %q, %v", r, err)
	}

	// The state is in the file: it survives a reopen.
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	db = db2
	if got := pending(); !slices.Equal(got, []string{"c.jpg"}) {
		t.Fatalf("after reopen: pending %v", got)
	}
	// Erasing the application's evidence forgets its sync state too: the
	// same file attached again is sent again.
	if _, err := db.EraseEvidence(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	attach("a.pdf", pdf)
	if got := pending(); !slices.Equal(got, []string{"a.pdf"}) {
		t.Fatalf("after erase and re-attach: pending %v", got)
	}
	// An application the platform rejected never gets its files sent.
	if err := db.MarkRejected(ctx, o.ID, "invalid"); err != nil {
		t.Fatal(err)
	}
	if got := pending(); len(got) != 0 {
		t.Fatalf("files of a rejected application pending: %v", got)
	}
}

// An application sent again to a platform restored from a backup takes
// its evidence along again.
func TestRedeliverResendsEvidence(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	o := newObjection(demoPenalty(t, db).ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	e, err := db.AddEvidence(ctx, credit.Evidence{ApplicationID: o.ID, Name: "a.pdf"}, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkEvidenceSent(ctx, o.ID, []string{e.SHA256}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDelivered(ctx, credit.Receipt{ApplicationID: o.ID, ServerSeq: 50, ReceivedAt: fixedNow, Digest: items0Digest(t, db, o.ID)}); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.PendingEvidence(ctx, 10); len(p) != 0 {
		t.Fatalf("pending before redelivery: %+v", p)
	}
	if n, err := db.Redeliver(ctx, 10, fixedNow.Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("Redeliver = %d, %v", n, err)
	}
	if p, err := db.PendingEvidence(ctx, 10); err != nil || len(p) != 1 || p[0].SHA256 != e.SHA256 {
		t.Fatalf("pending after redelivery: %+v, %v", p, err)
	}
}

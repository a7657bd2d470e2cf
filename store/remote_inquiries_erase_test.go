package store_test

import (
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

// TestSubjectTombstoneErasesRemoteInquiries, on a real store file: a
// subject's tombstone (out_of_scope, or any other reason) deletes the
// inquiry log entries other terminals made about it in the same page, and
// after the checkpoint its ID number is in none of the .db, -wal and -shm
// files; another subject's entries stay.
func TestSubjectTombstoneErasesRemoteInquiries(t *testing.T) {
	for _, reason := range []string{"out_of_scope", "withdrawn"} {
		t.Run(reason, func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "kiosk.db")
			db, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			gone := credit.Subject{ID: idno("62010219810203771"), Kind: credit.NaturalPerson, Name: "甲", Region: "620102", Version: 1}
			kept := credit.Subject{ID: idno("62010219900405882"), Kind: credit.NaturalPerson, Name: "乙", Region: "620102", Version: 1}
			inquiry := func(seq int64, subject string) (credit.Change, credit.Inquiry) {
				q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: subject, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-9",
					Purpose: "administrative_licensing", AuthRef: "AUTH-1", Channel: "office-b", At: fixedNow.Add(time.Duration(seq) * time.Minute)}
				return credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeInquiry, ID: q.ID, Version: 1, Inquiry: &q}, q
			}
			c3, _ := inquiry(3, gone.ID)
			c4, _ := inquiry(4, gone.ID)
			c5, other := inquiry(5, kept.ID)
			if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, gone), putSubject(2, kept), c3, c4, c5}, "c1", fixedNow); err != nil {
				t.Fatal(err)
			}
			if err := db.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			if got, _ := db.RemoteInquiriesOf(ctx, gone.ID); len(got) != 2 || !store.RawContains(t, path, gone.ID) {
				t.Fatalf("canary: %d entries before the tombstone, want 2 and the number in the file", len(got))
			}
			tomb := del(6, credit.TypeSubject, gone.ID)
			tomb.Reason = reason
			if err := db.ApplyPage(ctx, []credit.Change{tomb}, "c2", fixedNow); err != nil {
				t.Fatal(err)
			}
			if got, err := db.RemoteInquiriesOf(ctx, gone.ID); err != nil || len(got) != 0 {
				t.Fatalf("after the tombstone: %+v, %v; want none", got, err)
			}
			if got, _ := db.RemoteInquiriesOf(ctx, kept.ID); len(got) != 1 || got[0] != other {
				t.Fatalf("another subject's entries: %+v, want %+v", got, other)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if store.RawContains(t, path, gone.ID) {
				t.Errorf("the ID number %s survives in the raw files", credit.IDNumber(gone.ID).Masked())
			}
		})
	}
}

// TestScopeResyncErasesRemoteInquiriesOfSweptSubjects: the snapshot of a
// resync (after a device scope change) sweeps the subjects it no longer
// sends, and their remote inquiry entries with them, ID numbers gone from
// the files; entries of subjects still sent stay, and so do entries about
// a subject never cached (an uncached kiosk holder is shown them;
// remote_inquiries.go).
func TestScopeResyncErasesRemoteInquiriesOfSweptSubjects(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := credit.Subject{ID: idno("62010219810203771"), Kind: credit.NaturalPerson, Name: "甲", Region: "620102", Version: 1}
	stays := credit.Subject{ID: idno("62010319900405882"), Kind: credit.NaturalPerson, Name: "乙", Region: "620103", Version: 1}
	uncached := idno("62010419700101993")
	var page []credit.Change
	want := map[string]int{}
	for i, subject := range []string{old.ID, stays.ID, uncached} {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: subject, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-9",
			Purpose: "administrative_licensing", AuthRef: "AUTH-1", Channel: "office-b", At: fixedNow.Add(time.Duration(i) * time.Minute)}
		page = append(page, credit.Change{Seq: int64(3 + i), Op: credit.OpPut, Type: credit.TypeInquiry, ID: q.ID, Version: 1, Inquiry: &q})
		want[subject] = 1
	}
	want[old.ID] = 0
	if err := db.ApplyPage(ctx, append([]credit.Change{putSubject(1, old), putSubject(2, stays)}, page...), "c1", fixedNow); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil || !store.RawContains(t, path, old.ID) {
		t.Fatalf("canary: the number is not in the file before the resync (%v)", err)
	}
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, stays)}, "TOK", "s/"+stays.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishSnapshot(ctx, "c2", 9, fixedNow); err != nil {
		t.Fatal(err)
	}
	for subject, n := range want {
		if got, err := db.RemoteInquiriesOf(ctx, subject); err != nil || len(got) != n {
			t.Errorf("%s: %d entries (%v), want %d", credit.IDNumber(subject).Masked(), len(got), err, n)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if store.RawContains(t, path, old.ID) {
		t.Errorf("the swept subject's number %s survives in the raw files", credit.IDNumber(old.ID).Masked())
	}
}

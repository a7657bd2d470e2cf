package store_test

import (
	"reflect"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

// TestRecordDetailKept: a record's Art. 36 statement and Art. 44 history
// are kept with it from the feed and from a snapshot, replaced by a newer
// version, and gone with the record.
func TestRecordDetailKept(t *testing.T) {
	ctx := t.Context()
	db, _ := openTest(t)
	subj := credit.Subject{ID: synth.DemoID, Kind: credit.NaturalPerson, Name: "测试", Region: "620102", Version: 1}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	listed := record("R-LIST", subj.ID, "失信被执行人", 1)
	listed.Listing = &credit.SeriousListing{Unit: "兰州市中级人民法院", Reasons: "有履行能力而拒不履行", Basis: "最高法若干规定第一条"}
	listed.History = []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: at}}
	emptyListing := record("R-EMPTY", subj.ID, "名单", 1)
	emptyListing.Listing = &credit.SeriousListing{}
	plain := record("R-PLAIN", subj.ID, "罚款", 1)
	if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, subj), putRecord(2, listed), putRecord(3, emptyListing), putRecord(4, plain)}, "c1", at); err != nil {
		t.Fatal(err)
	}
	byID := func() map[string]credit.Record {
		recs, err := db.RecordsOf(ctx, subj.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]credit.Record{}
		for _, r := range recs {
			m[r.ID] = r
		}
		return m
	}
	got := byID()
	if r := got["R-LIST"]; !reflect.DeepEqual(r.Listing, listed.Listing) || !reflect.DeepEqual(r.History, listed.History) {
		t.Fatalf("listed record read back as %+v / %+v", r.Listing, r.History)
	}
	if r := got["R-EMPTY"]; r.Listing == nil || len(r.Listing.Missing()) != 6 {
		t.Fatalf("an empty statement must still mark a serious-list record: %+v", r.Listing)
	}
	if r := got["R-PLAIN"]; r.Listing != nil || r.History != nil {
		t.Fatalf("plain record grew detail: %+v %+v", r.Listing, r.History)
	}

	// A correction replaces the detail; a snapshot writes it too.
	listed.Version, listed.Listing.Remedies = 2, "行政复议"
	listed.History = append(listed.History, credit.RecordChange{Version: 2, Reason: credit.ReasonObjectionUpheld, At: at.Add(time.Hour)})
	if err := db.ApplyPage(ctx, []credit.Change{putRecord(5, listed)}, "c2", at); err != nil {
		t.Fatal(err)
	}
	if r := byID()["R-LIST"]; r.Listing.Remedies != "行政复议" || len(r.History) != 2 {
		t.Fatalf("after the correction: %+v %+v", r.Listing, r.History)
	}
	if err := db.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	plain.Version, plain.History = 3, []credit.RecordChange{{Version: 3, Reason: credit.ReasonCorrection, At: at}}
	if err := db.ApplySnapshotPage(ctx, []credit.Change{putSubject(1, subj), putRecord(2, listed), putRecord(3, plain)}, "T", "r/z"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishSnapshot(ctx, "c3", 9, at); err != nil {
		t.Fatal(err)
	}
	got = byID()
	if len(got) != 2 || len(got["R-PLAIN"].History) != 1 || got["R-LIST"].Listing == nil {
		t.Fatalf("after the snapshot: %+v", got)
	}
	if err := db.ApplyPage(ctx, []credit.Change{del(10, credit.TypeRecord, "R-LIST")}, "c4", at); err != nil {
		t.Fatal(err)
	}
	if _, ok := byID()["R-LIST"]; ok {
		t.Fatal("deleted record still there")
	}
}

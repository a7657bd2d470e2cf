package store

import (
	"reflect"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// FuzzRecordDetail: any detail column reads without panicking; one that
// does not parse marks the record as an incomplete serious-list record
// (shown, never hidden); one written by detailOf reads back unchanged.
func FuzzRecordDetail(f *testing.F) {
	r := credit.Record{Listing: &credit.SeriousListing{Unit: "兰州市中级人民法院", Remedies: "复议"},
		History: []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}}
	f.Add(detailOf(r))
	f.Add("")
	f.Add("{")
	f.Add(`{"serious_list":null,"history":[{"ver":"x"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		var got credit.Record
		if !setDetail(&got, s) {
			if got.Listing == nil || len(got.Listing.Missing()) != 6 {
				t.Fatalf("unreadable detail %q gave %+v, want an empty statement", s, got.Listing)
			}
			return
		}
		again := credit.Record{}
		if !setDetail(&again, detailOf(got)) || !reflect.DeepEqual(again.Listing, got.Listing) || len(again.History) != len(got.History) {
			t.Fatalf("detail %q does not round-trip: %+v / %+v", s, got, again)
		}
	})
}

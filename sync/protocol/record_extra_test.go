package protocol

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// TestRecordListingAndHistoryRoundTrip: the Art. 36 statement (even an
// empty one, which still marks a serious-list record) and the Art. 44
// history travel in a record put; a record without them stays as before.
func TestRecordListingAndHistoryRoundTrip(t *testing.T) {
	base := *sampleChanges()[1].Record
	full := base
	full.Listing = &credit.SeriousListing{Unit: "兰州市人社局", Reasons: "拖欠工资", Basis: "条例第四十八条",
		RemovalConditions: "清偿满一年", RemovalProcedure: "书面申请", Remedies: "行政复议"}
	full.History = []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: asOf},
		{Version: 7, Reason: credit.ReasonObjectionUpheld, At: asOf, Note: "更正文书号"}}
	empty := base
	empty.Listing = &credit.SeriousListing{}
	for name, r := range map[string]credit.Record{"plain": base, "full": full, "empty listing": empty} {
		t.Run(name, func(t *testing.T) {
			c := credit.Change{Seq: 1, Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: r.Version, Record: &r}
			b, err := EncodePage([]credit.Change{c}, "C", false, asOf)
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodePage(bytes.NewReader(b), 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := *p.Changes[0].Record; !reflect.DeepEqual(got, r) {
				t.Fatalf("got %+v\nwant %+v", got, r)
			}
			if name == "plain" && (strings.Contains(string(b), "serious_list") || strings.Contains(string(b), "history")) {
				t.Errorf("plain record carries new fields: %s", b)
			}
		})
	}
}

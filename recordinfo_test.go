package credit_test

import (
	"reflect"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestSeriousListingMissing: a serious-list record must state the
// designating unit, reasons, basis, removal conditions and procedure, and
// remedy channels (Art. 36); what it lacks is named, in display order.
func TestSeriousListingMissing(t *testing.T) {
	full := credit.SeriousListing{Unit: "兰州市人力资源和社会保障局", Reasons: "拖欠农民工工资", Basis: "《保障农民工工资支付条例》第四十八条",
		RemovalConditions: "清偿拖欠工资满一年且未再发生", RemovalProcedure: "向认定单位提出书面申请", Remedies: "行政复议或行政诉讼"}
	tests := []struct {
		name string
		edit func(l *credit.SeriousListing)
		want []credit.ListingItem
	}{
		{"complete", func(*credit.SeriousListing) {}, nil},
		{"no remedies", func(l *credit.SeriousListing) { l.Remedies = " " }, []credit.ListingItem{credit.ListingRemedies}},
		{"nothing", func(l *credit.SeriousListing) { *l = credit.SeriousListing{} }, []credit.ListingItem{credit.ListingUnit, credit.ListingReasons,
			credit.ListingBasis, credit.ListingRemovalConditions, credit.ListingRemovalProcedure, credit.ListingRemedies}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := full
			tt.edit(&l)
			if got := l.Missing(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Missing = %v, want %v", got, tt.want)
			}
			for _, e := range l.Items() {
				if zh, en := e.Item.Label(); zh == "" || en == "" || zh == string(e.Item) {
					t.Errorf("item %s has no label", e.Item)
				}
			}
		})
	}
}

// TestTombstoneReason: every platform tombstone maps to an Art. 44 reason.
func TestTombstoneReason(t *testing.T) {
	for why, want := range map[string]credit.ChangeReason{
		"corrected": credit.ReasonObjectionUpheld, "restored": credit.ReasonRestoration, "revoked": credit.ReasonRevocation,
		"expired": credit.ReasonExpiry, "withdrawn": credit.ReasonWithdrawn, "": credit.ReasonWithdrawn,
	} {
		got := credit.TombstoneReason(why)
		if got != want {
			t.Errorf("TombstoneReason(%q) = %s, want %s", why, got, want)
		}
		if zh, _ := got.Label(); zh == string(got) {
			t.Errorf("%s has no label", got)
		}
	}
}

func TestAppendHistoryBounded(t *testing.T) {
	var h []credit.RecordChange
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range credit.MaxHistory + 5 {
		prev := h
		h = credit.AppendHistory(h, credit.RecordChange{Version: int64(i + 1), Reason: credit.ReasonCorrection, At: at})
		if len(prev) > 0 && &prev[0] == &h[0] {
			t.Fatal("AppendHistory shares its input's array")
		}
	}
	if len(h) != credit.MaxHistory || h[0].Version != 6 || h[len(h)-1].Version != credit.MaxHistory+5 {
		t.Fatalf("history len %d from v%d to v%d", len(h), h[0].Version, h[len(h)-1].Version)
	}
}

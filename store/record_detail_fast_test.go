package store

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// detailCases are records whose detail column the fast path writes and
// ones it must hand to encoding/json.
var detailCases = []struct {
	name string
	r    credit.Record
	fast bool // appendDetail writes it itself
}{
	{"none", credit.Record{}, true},
	{"history", credit.Record{History: []credit.RecordChange{
		{Version: 1, Reason: credit.ReasonPublished, At: time.Date(2026, 1, 2, 3, 4, 5, 6, credit.China)},
		{Version: 2, Reason: credit.ReasonCorrection, At: time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC), Note: "更正 note"},
	}}, true},
	{"listing", credit.Record{Listing: &credit.SeriousListing{Unit: "兰州市市场监督管理局", Reasons: "r", Remedies: "复议"}}, true},
	{"both", credit.Record{Listing: &credit.SeriousListing{}, History: []credit.RecordChange{{Version: 7}}}, true},
	{"html", credit.Record{Listing: &credit.SeriousListing{Unit: "A & B <c>"}}, false},
	{"quote", credit.Record{History: []credit.RecordChange{{Note: `say "x"\`}}}, false},
	{"control", credit.Record{History: []credit.RecordChange{{Note: "a\nb"}}}, false},
	{"bad utf-8", credit.Record{Listing: &credit.SeriousListing{Basis: "\xff"}}, false},
	{"line separator", credit.Record{Listing: &credit.SeriousListing{Basis: "a\u2028b"}}, false},
	{"year 10000", credit.Record{History: []credit.RecordChange{{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}, false},
	{"year -1", credit.Record{History: []credit.RecordChange{{At: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}}}, false},
	{"zone +24:00", credit.Record{History: []credit.RecordChange{{At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 24*3600))}}}, false},
	{"zone -05:30:07", credit.Record{History: []credit.RecordChange{{At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("x", -(5*3600+1800+7)))}}}, true},
}

// TestDetailFast: the bulk path writes the detail column byte for byte as
// detailOf does, by itself where it can.
func TestDetailFast(t *testing.T) {
	for _, c := range detailCases {
		t.Run(c.name, func(t *testing.T) {
			if got, want := detailFast(c.r), detailOf(c.r); got != want {
				t.Errorf("detailFast = %q, detailOf = %q", got, want)
			}
			if c.r.Listing == nil && len(c.r.History) == 0 {
				return
			}
			if _, ok := appendDetail(nil, c.r); ok != c.fast {
				t.Errorf("fast path taken = %v, want %v", ok, c.fast)
			}
		})
	}
}

// FuzzDetailFast compares detailFast with detailOf (encoding/json) on
// any strings, versions and times.
func FuzzDetailFast(f *testing.F) {
	f.Add("兰州市市场监督管理局", "理由", "<b>&", "", int64(1), "published", int64(1767225600), int64(5), 8*3600, "note", true)
	f.Add("", "", "", "\u2029", int64(-3), "", int64(-70000000000), int64(0), -86400, "", false)
	f.Add("\x00", "\"", "\\", "\xff", int64(0), "a\tb", int64(253402300800), int64(999999999), 86399, "é", true)
	f.Add("", "", "", "", int64(0), "", int64(0), int64(0), 5*3600+1800+7, "", false)
	f.Fuzz(func(t *testing.T, unit, reasons, basis, remedies string, ver int64, reason string, sec, nsec int64, zone int, note string, listing bool) {
		r := credit.Record{History: []credit.RecordChange{
			{Version: ver, Reason: credit.ChangeReason(reason), At: time.Unix(sec, nsec).In(time.FixedZone("z", zone)), Note: note},
			{Version: ver, Reason: credit.ReasonPublished, At: time.Unix(sec, nsec).In(credit.China)},
			{Version: ver + 1, Reason: credit.ChangeReason(note), At: time.Unix(sec/2, 0).UTC()},
		}}
		if listing {
			r.Listing = &credit.SeriousListing{Unit: unit, Reasons: reasons, Basis: basis, RemovalConditions: note,
				RemovalProcedure: reason, Remedies: remedies}
		}
		if got, want := detailFast(r), detailOf(r); got != want {
			t.Fatalf("detailFast = %q, detailOf = %q", got, want)
		}
	})
}

// BenchmarkDetail: a record's detail column as a snapshot page writes it
// (one "published" history entry, as the platform sends every record),
// by detailOf (encoding/json) and by detailFast.
func BenchmarkDetail(b *testing.B) {
	r := credit.Record{History: []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: time.Date(2026, 1, 2, 3, 4, 5, 0, credit.China)}}}
	for _, c := range []struct {
		name string
		fn   func(credit.Record) string
	}{{"json", detailOf}, {"fast", detailFast}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.fn(r) == "" {
					b.Fatal("empty")
				}
			}
		})
	}
}

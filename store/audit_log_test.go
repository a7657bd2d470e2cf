package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TestInquiryLogPage: the page size is bounded (0 → 50, past 200 → 200),
// a negative offset is the start, the count covers the whole filter, and
// a result count is kept once and refused when incomplete.
func TestInquiryLogPage(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	ids := make([]string, 0, 230)
	for i := range 230 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: "91620102710000001T", InquirerKind: credit.InquirerPublic,
			Purpose: credit.PurposePublic, Channel: "kiosk-1", At: fixedNow.Add(time.Duration(i) * time.Second)}
		if err := db.LogInquiry(ctx, q); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	for _, tt := range []struct {
		name          string
		f             credit.InquiryFilter
		n, total      int
		firstPosition int64
	}{
		{"default size", credit.InquiryFilter{}, 50, 230, 230},
		{"bounded", credit.InquiryFilter{Limit: 1000}, 200, 230, 230},
		{"negative offset", credit.InquiryFilter{Offset: -3, Limit: 5}, 5, 230, 230},
		{"tail", credit.InquiryFilter{Offset: 225, Limit: 50}, 5, 230, 5},
		{"other channel", credit.InquiryFilter{Channel: "kiosk-2"}, 0, 0, 0},
		{"window", credit.InquiryFilter{From: fixedNow.Add(10 * time.Second), To: fixedNow.Add(20 * time.Second)}, 10, 10, 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.InquiryLog(ctx, tt.f)
			if err != nil || len(p.Entries) != tt.n || p.Total != tt.total {
				t.Fatalf("%d entries of %d, %v; want %d of %d", len(p.Entries), p.Total, err, tt.n, tt.total)
			}
			if tt.n > 0 && (p.Entries[0].Position != tt.firstPosition || p.Entries[0].Results != -1) {
				t.Fatalf("first entry %+v, want position %d, no result count", p.Entries[0], tt.firstPosition)
			}
		})
	}
	if err := db.SetInquiryResult(ctx, ids[229], 3); err != nil {
		t.Fatal(err)
	}
	if err := db.SetInquiryResult(ctx, ids[229], 7); err != nil { // the first count stays
		t.Fatal(err)
	}
	for _, bad := range []struct {
		id string
		n  int
	}{{"", 1}, {ids[0], -1}} {
		if err := db.SetInquiryResult(ctx, bad.id, bad.n); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("SetInquiryResult(%q, %d): %v", bad.id, bad.n, err)
		}
	}
	if p, err := db.InquiryLog(ctx, credit.InquiryFilter{Limit: 1}); err != nil || p.Entries[0].Results != 3 {
		t.Fatalf("%+v, %v", p, err)
	}
	// The chain is untouched by the counts.
	if rep, err := db.VerifyAuditChain(ctx); err != nil || !rep.OK() || rep.Entries != 230 {
		t.Fatalf("chain %+v, %v", rep, err)
	}
}

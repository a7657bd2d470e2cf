package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

// BenchmarkLogInquiry measures one chained insert (head read, row, link,
// head write in one transaction).
func BenchmarkLogInquiry(b *testing.B) {
	db, _ := openTest(b)
	ctx := b.Context()
	b.ResetTimer()
	for i := range b.N {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: "kiosk-01", At: fixedNow.Add(time.Duration(i) * time.Second)}
		if err := db.LogInquiry(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyAuditChain10k verifies a log of 10 000 entries on two
// devices.
func BenchmarkVerifyAuditChain10k(b *testing.B) {
	db, _ := openTest(b)
	ctx := b.Context()
	for i := range 10000 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: []string{"kiosk-01", "kiosk-02"}[i%2], At: fixedNow.Add(time.Duration(i) * time.Second)}
		if err := db.LogInquiry(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		rep, err := db.VerifyAuditChain(ctx)
		if err != nil || !rep.OK() || rep.Entries != 10000 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkInquiryLogPage10k reads the newest page of a 10 000-entry log
// (the audit tab's first page), unfiltered and filtered by a clerk.
func BenchmarkInquiryLogPage10k(b *testing.B) {
	db, _ := openTest(b)
	ctx := b.Context()
	for i := range 10000 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerClerk, InquirerID: []string{"C001", "C002", "S001"}[i%3],
			Purpose: string(credit.PurposeCivilService), AuthRef: "SQ-1", Channel: "office-01", At: fixedNow.Add(time.Duration(i) * time.Second)}
		if err := db.LogInquiry(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	for _, f := range []struct {
		name string
		f    credit.InquiryFilter
	}{{"all", credit.InquiryFilter{Limit: 50}}, {"clerk", credit.InquiryFilter{Inquirer: "S001", Limit: 50}}} {
		b.Run(f.name, func(b *testing.B) {
			for range b.N {
				p, err := db.InquiryLog(ctx, f.f)
				if err != nil || len(p.Entries) != 50 {
					b.Fatalf("%d entries, %v", len(p.Entries), err)
				}
			}
		})
	}
}

package app_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// ReportData gathers a report's content from the store: the subject's
// own records, the inquiries logged about it, the data's age judged
// against the given clock.
func TestReportData(t *testing.T) {
	for _, tt := range []struct {
		name  string
		asOf  time.Time
		now   time.Time
		stale bool
	}{
		{"fresh", friday.Add(-time.Hour), friday, false},
		{"older than 72 h", friday.Add(-73 * time.Hour), friday, true},
		{"never synced", time.Time{}, friday, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(tt.asOf)
			subj, err := mem.Subject(t.Context(), apptest.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: subj.ID, InquirerKind: credit.InquirerSelf,
				Purpose: credit.PurposeSelf, Channel: apptest.DeviceID, At: friday}
			if err := mem.LogInquiry(t.Context(), q); err != nil {
				t.Fatal(err)
			}
			r, err := app.ReportData(t.Context(), mem, mem, subj, friday, tt.now, app.DefaultStaleAfter)
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject.ID != subj.ID || !r.IssuedAt.Equal(friday) || !r.DataAsOf.Equal(tt.asOf) || r.Stale != tt.stale {
				t.Fatalf("report %+v", r)
			}
			if len(r.Records) == 0 || len(r.Inquiries) != 1 || r.Inquiries[0].ID != q.ID {
				t.Fatalf("%d records, inquiries %+v", len(r.Records), r.Inquiries)
			}
			for _, rec := range r.Records {
				if rec.SubjectID != subj.ID {
					t.Fatalf("record of %s in %s's report", rec.SubjectID, subj.ID)
				}
			}
		})
	}
}

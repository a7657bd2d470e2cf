package report

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestMakeReportNo(t *testing.T) {
	late := time.Date(2026, 1, 15, 20, 0, 0, 0, time.UTC) // 04:00 on the 16th in China
	tests := []struct {
		name           string
		region, device string
		date           time.Time
		serial         int
		want           string
	}{
		{"ok", "620102", "K1", issued, 42, "620102K1-20260115-000042"},
		{"China date", "620000", "01", late, 999999, "62000001-20260116-999999"},
		{"short region", "62010", "K1", issued, 1, ""},
		{"letters in region", "62O102", "K1", issued, 1, ""},
		{"lower-case device", "620102", "k1", issued, 1, ""},
		{"3-char device", "620102", "K12", issued, 1, ""},
		{"negative serial", "620102", "K1", issued, -1, ""},
		{"serial too big", "620102", "K1", issued, 1000000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MakeReportNo(tt.region, tt.device, tt.date, tt.serial)
			if tt.want == "" {
				if err == nil || credit.ErrorCode(err) != credit.EINVALID || credit.ErrorMessage(err) == "" {
					t.Fatalf("got %q, %v; want an EINVALID error", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
			if len(got) > maxReportIDLen {
				t.Errorf("%q longer than the claim allows", got)
			}
		})
	}
}

// TestContentDigestCoversEverything: changing any shown field changes the
// digest.
func TestContentDigestCoversEverything(t *testing.T) {
	base := fixtureReport(t)
	d0 := base.ContentDigest()
	if base.ContentDigest() != d0 {
		t.Fatal("digest is not deterministic")
	}
	mutations := map[string]func(*Report){
		"name":            func(r *Report) { r.Subject.Name = "王坤" },
		"report no":       func(r *Report) { r.ReportNo += "1" },
		"record content":  func(r *Report) { r.Records[1].Content += "。" },
		"document no":     func(r *Report) { r.Records[1].DocumentNo = "x" },
		"decision date":   func(r *Report) { r.Records[0].DecisionDate = r.Records[0].DecisionDate.Add(time.Second) },
		"publicity":       func(r *Report) { r.Records[1].PublicityUntil = time.Time{} },
		"tier":            func(r *Report) { r.Records[1].Tier = credit.TierSerious },
		"objection label": func(r *Report) { r.Records[1].UnderObjection = false },
		"record dropped":  func(r *Report) { r.Records = r.Records[:2] },
		"inquiry purpose": func(r *Report) { r.Inquiries[1].Purpose = "其他" },
		"inquiry dropped": func(r *Report) { r.Inquiries = r.Inquiries[:1] },
		"data as of":      func(r *Report) { r.DataAsOf = r.DataAsOf.Add(time.Minute) },
		"field boundary": func(r *Report) {
			r.Records[0].Title, r.Records[0].Content = r.Records[0].Title+r.Records[0].Content[:3], r.Records[0].Content[3:]
		},
	}
	for name, m := range mutations {
		t.Run(name, func(t *testing.T) {
			r := fixtureReport(t)
			m(&r)
			if r.ContentDigest() == d0 {
				t.Fatal("digest unchanged")
			}
		})
	}
}

func TestSummaryAndType(t *testing.T) {
	r := fixtureReport(t)
	r.Records = append(r.Records, manyRecords(r.Subject.ID, 3)...)
	if got := r.Summary(); len(got) != 3 || got[0] != 1 || got[1] != 4 || got[2] != 1 {
		t.Errorf("summary %v", got)
	}
	if r.Type() != NaturalPersonReport {
		t.Error("person report type")
	}
	r.Subject.Kind = credit.LegalPerson
	if r.Type() != LegalPersonReport {
		t.Error("legal person report type")
	}
}

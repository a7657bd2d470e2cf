package credit_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestCountReports(t *testing.T) {
	cst := func(s string) time.Time { return date(t, s) }
	tests := []struct {
		name      string
		issued    []time.Time
		now       time.Time
		used      int
		remaining int
		en        string
	}{
		{"none", nil, cst("2026-11-27 10:00"), 0, 2, "Free reports used in 2026: 0 of 2"},
		{"one this year, one last year", []time.Time{cst("2025-12-31 23:59"), cst("2026-01-01 00:00")}, cst("2026-11-27 10:00"), 1, 1, "Free reports used in 2026: 1 of 2"},
		{"restarts on 1 January", []time.Time{cst("2026-03-01 09:00"), cst("2026-11-27 09:00")}, cst("2027-01-01 00:00"), 0, 2, "Free reports used in 2027: 0 of 2"},
		// 2025-12-31 16:30 UTC is already 2026 in China.
		{"China time decides the year", []time.Time{time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC)}, cst("2026-06-01 10:00"), 1, 1, "Free reports used in 2026: 1 of 2"},
		{"beyond the free two: counted, never negative", []time.Time{cst("2026-01-02 10:00"), cst("2026-02-02 10:00"), cst("2026-03-02 10:00")}, cst("2026-11-27 10:00"), 3, 0, "Free reports used in 2026: 3 of 2"},
		{"zero times ignored", []time.Time{{}}, cst("2026-11-27 10:00"), 0, 2, "Free reports used in 2026: 0 of 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := credit.CountReports(tt.issued, tt.now)
			if a.Used != tt.used || a.Remaining() != tt.remaining || a.Free != credit.FreeReportsPerYear {
				t.Errorf("allowance %+v remaining %d, want used %d remaining %d", a, a.Remaining(), tt.used, tt.remaining)
			}
			zh, en := a.Label()
			if en != tt.en || zh == "" {
				t.Errorf("label %q / %q, want %q", zh, en, tt.en)
			}
		})
	}
}

package report

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// pdfLines is the report's text as pdftotext -layout reads it, by line.
func pdfLines(t *testing.T, pdf []byte) []string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(txt), "\n")
}

// TestReportInquiryChannel: every inquiry row of the printed report says
// when, who, through which channel (device or office ID, this terminal's
// own and other terminals' entries alike) and why, none cut short.
func TestReportInquiryChannel(t *testing.T) {
	needTool(t, "pdftotext")
	id := personID("62010219900307123")
	at := func(d, h, m int) time.Time { return time.Date(2025, 12, d, h, m, 0, 0, credit.China) }
	tests := []struct {
		name string
		qs   []credit.Inquiry
	}{
		{"own and remote entries", []credit.Inquiry{
			{ID: "a", SubjectID: id, InquirerKind: credit.InquirerSelf, Purpose: credit.PurposeSelf, Channel: "kiosk-620102-01", At: at(3, 9, 1)},
			{ID: "b", SubjectID: id, InquirerKind: credit.InquirerClerk, InquirerID: "C001", Purpose: "行政审批", AuthRef: "SQ-1", Channel: "office-620103", At: at(2, 14, 22)},
			{ID: "c", SubjectID: id, InquirerKind: credit.InquirerSelf, Purpose: credit.PurposeSelf, Channel: "620102K7", At: at(1, 8, 45)},
		}},
		{"long clerk and channel IDs", []credit.Inquiry{
			{ID: "d", SubjectID: id, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-0071", Purpose: "招聘", AuthRef: "SQ-2", Channel: "office-620102-w2", At: at(4, 16, 30)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixtureReport(t)
			r.Inquiries = tt.qs
			out, err := Render(r, testKey(t, 1), 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			lines := pdfLines(t, out.PDF)
			head := false
			for _, l := range lines {
				if strings.Contains(l, "查询渠道") && strings.Contains(l, "Channel") {
					head = true
				}
			}
			if !head {
				t.Error("the inquiry table has no channel column heading")
			}
			for _, q := range tt.qs {
				when := q.At.Format("2006-01-02 15:04")
				var row string
				for _, l := range lines {
					if strings.Contains(l, when) {
						row = l
					}
				}
				if row == "" {
					t.Errorf("no row for the inquiry at %s", when)
					continue
				}
				for _, want := range []string{q.Channel, inquirer(q), purpose(q.Purpose)} {
					if !strings.Contains(row, want) {
						t.Errorf("row %q lacks %q", row, want)
					}
				}
				if strings.Contains(row, "…") {
					t.Errorf("row %q is cut short", row)
				}
			}
		})
	}
}

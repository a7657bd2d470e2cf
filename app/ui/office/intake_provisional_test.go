package office

import (
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// TestIntakeReceiptProvisional: the intake receipt marks both due dates
// and says why when they are counted over a year whose holiday notice is
// not out (issue #5), in zh and en, and shows no mark otherwise.
func TestIntakeReceiptProvisional(t *testing.T) {
	noNotices, err := credit.NewHolidayCalendar() // no year's notice loaded: every deadline is provisional
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		lang        ui.Lang
		cal         credit.Calendar
		mark, note  string
		provisional bool
	}{
		{"zh provisional", ui.Chinese, noNotices, "（暂定）", "公布后将重新计算", true},
		{"en provisional", ui.English, noNotices, " (provisional)", "not yet announced", true},
		{"zh announced", ui.Chinese, credit.WeekendCalendar{}, "（暂定）", "公布后将重新计算", false},
		{"en announced", ui.English, credit.WeekendCalendar{}, " (provisional)", "not yet announced", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t, tt.lang, func(o *app.OfficeDeps) { o.Calendar = tt.cal })
			d.logIn(t, "C001", clerkPassword)
			o := d.fileObjection(t)
			var marked int
			var note bool
			for _, l := range d.ui.inTab.receipt {
				if strings.HasSuffix(l.Text, tt.mark) {
					marked++
				}
				note = note || strings.Contains(l.Text, tt.note)
			}
			if tt.provisional && (marked != 2 || !note) || !tt.provisional && (marked != 0 || note) {
				t.Fatalf("provisional %v: %d marked lines, note %v: %q", tt.provisional, marked, note, texts(d.w))
			}
			if due := formatDateTime(o.DecisionDue); !shows(d.w, due) {
				t.Errorf("receipt lacks the decision due %q", due)
			}
		})
	}
}

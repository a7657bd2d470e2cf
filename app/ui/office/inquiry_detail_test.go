package office

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// TestInquiryRecordArt36And44: the authorised-inquiry view shows what the
// kiosk's record detail shows (ui.RecordExtraLines): a serious-list
// record's Art. 36 statement, its missing items as not stated with an
// "incomplete" notice, and the Art. 44 change history with reason codes,
// in zh and en; Clear blanks them.
func TestInquiryRecordArt36And44(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, credit.China)
	base := credit.Record{SubjectID: apptest.PersonID, Category: credit.CategoryUntrustworthy, SourceUnit: "兰州市中级人民法院",
		DocumentNo: "（2026）甘01执12号", LegalBasis: "最高法关于公布失信被执行人名单信息的若干规定", DecisionDate: at, Tier: credit.TierSerious, Version: 2}
	full := base
	full.ID, full.Title = "R-SL-FULL", "失信被执行人（完整）"
	full.Listing = &credit.SeriousListing{Unit: "兰州市中级人民法院", Reasons: "有履行能力而拒不履行", Basis: "若干规定第一条",
		RemovalConditions: "全部履行完毕", RemovalProcedure: "向执行法院申请删除", Remedies: "向执行法院申请纠正"}
	full.History = []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: at},
		{Version: 2, Reason: credit.ReasonObjectionUpheld, At: at.AddDate(0, 1, 0), Note: "更正案号"}}
	partial := base
	partial.ID, partial.Title = "R-SL-PART", "失信被执行人（不完整）"
	partial.Listing = &credit.SeriousListing{Unit: "兰州市中级人民法院", Reasons: "拒不履行", Basis: "若干规定第一条"}

	tests := []struct {
		lang ui.Lang
		want []string
	}{
		{ui.Chinese, []string{"严重失信主体名单", "认定单位：兰州市中级人民法院", "认定理由：有履行能力而拒不履行", "移出条件：全部履行完毕",
			"移出程序：向执行法院申请删除", "救济途径：向执行法院申请纠正", "救济途径：（未载明）", "信息不完整：未载明移出条件、移出程序、救济途径。",
			"变更记录", "2026-03-02  公示（第1版）", "2026-04-02  异议成立（第2版）  更正案号"}},
		{ui.English, []string{"Serious untrustworthiness list", "Remedy channels: (not stated)",
			"Incomplete: Removal conditions, Removal procedure, Remedy channels not stated.", "Change history", "2026-04-02  objection upheld (version 2)  更正案号"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			d := newDesk(t, tt.lang)
			d.mem.Put(credit.Subject{ID: apptest.PersonID, Kind: credit.NaturalPerson, Name: apptest.PersonName, Region: "620102", Version: 1}, full, partial)
			d.logIn(t, "C001", clerkPassword)
			d.inquire(apptest.PersonID, 2, "SQ-2026-001")
			if d.ui.inq.view == nil {
				t.Fatalf("inquiry not shown: %q", d.ui.message.Text)
			}
			// Each record's detail shows on selection; together they show all.
			var details []*widget.Label
			seen := map[string]bool{}
			var warned int
			for i := range d.ui.inqTab.recs {
				d.ui.inqTab.list.Select(i)
				for _, w := range tt.want {
					seen[w] = seen[w] || shows(d.w, w)
				}
				for _, l := range d.ui.inqTab.details {
					if strings.HasPrefix(l.Text, "信息不完整") || strings.HasPrefix(l.Text, "Incomplete") {
						if l.Importance != widget.WarningImportance {
							t.Errorf("the incomplete notice is not a warning: %q", l.Text)
						}
						warned++
					}
				}
				details = append(details, d.ui.inqTab.details...)
			}
			for _, w := range tt.want {
				if !seen[w] {
					t.Errorf("the inquiry view does not show %q", w)
				}
			}
			if warned != 1 { // only the partial listing
				t.Errorf("%d incomplete notices, want 1", warned)
			}
			test.Tap(d.ui.inqTab.clearBtn)
			for _, l := range details {
				if l.Text != "" {
					t.Fatalf("Clear left %q on a label", l.Text)
				}
			}
		})
	}
}

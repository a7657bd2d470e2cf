package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestRecordDetailArt36And44: a serious-list record shows its designating
// unit, reasons, basis, removal conditions and procedure and remedy
// channels (Art. 36); one lacking some is shown with them named as not
// stated and an "incomplete" notice, not hidden; every record shows its
// change history with reason codes (Art. 44); finishing blanks it all.
func TestRecordDetailArt36And44(t *testing.T) {
	k := newKiosk(t, true)
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
	k.mem.Put(credit.Subject{ID: apptest.PersonID, Kind: credit.NaturalPerson, Name: apptest.PersonName, Region: "620102", Version: 1}, full, partial)
	k.readCard(t)

	if v := openRecord(t, k.ui, "R-SL-FULL"); v.incomplete != nil {
		t.Errorf("complete listing flagged: %q", v.incomplete.Text)
	}
	for _, want := range []string{"严重失信主体名单", "认定单位：兰州市中级人民法院", "认定理由：有履行能力而拒不履行", "认定依据：若干规定第一条",
		"移出条件：全部履行完毕", "移出程序：向执行法院申请删除", "救济途径：向执行法院申请纠正",
		"变更记录", "2026-03-02  公示（第1版）", "2026-04-02  异议成立（第2版）  更正案号"} {
		if !shows(k.w, want) {
			t.Errorf("the complete record's page does not show %q", want)
		}
	}
	inc := openRecord(t, k.ui, "R-SL-PART").incomplete
	if inc == nil || inc.Text != "信息不完整：未载明移出条件、移出程序、救济途径。" {
		t.Fatalf("incomplete notice = %+v", inc)
	}
	if !shows(k.w, "救济途径：（未载明）") {
		t.Error("the incomplete record's page does not show the missing item as not stated")
	}
	for _, id := range []string{apptest.RecBasic, apptest.RecOther} { // plain records: no Art. 36 block
		if txt := labelTexts(openRecord(t, k.ui, id).details); strings.Contains(txt, "严重失信主体名单") {
			t.Errorf("%s shows a serious-list block", id)
		}
	}

	openRecord(t, k.ui, "R-SL-PART")
	test.Tap(k.ui.langBtn)
	inc = k.ui.page.view.incomplete
	if inc == nil || inc.Text != "Incomplete: Removal conditions, Removal procedure, Remedy channels not stated." {
		t.Fatalf("English incomplete notice = %+v", inc)
	}
	openRecord(t, k.ui, "R-SL-FULL")
	if !shows(k.w, "2026-04-02  objection upheld (version 2)") {
		t.Error("English history line missing")
	}

	details := openRecord(t, k.ui, "R-SL-FULL").details
	k.ui.finish()
	if txt := strings.TrimSpace(labelTexts(details)); txt != "" {
		t.Fatalf("finish left record detail on labels: %q", txt)
	}
}

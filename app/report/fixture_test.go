package report

import (
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// testKey is a fixed Ed25519 key so failures reproduce.
func testKey(t testing.TB, seed byte) ed25519.PrivateKey {
	t.Helper()
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed + byte(i)
	}
	return ed25519.NewKeyFromSeed(s)
}

func keySetOf(office string, keys ...ed25519.PrivateKey) KeySet {
	var ks KeySet
	for _, k := range keys {
		ks.Add(k.Public().(ed25519.PublicKey), office)
	}
	return ks
}

// personID makes a valid resident ID number from 17 digits.
func personID(first17 string) string {
	return first17 + string(credit.IDCheckChar(first17))
}

var issued = time.Date(2026, 1, 15, 10, 30, 0, 0, credit.China)

// fixtureReport is a realistic natural-person report with records in all
// three categories, one under objection, and two inquiries.
func fixtureReport(t testing.TB) Report {
	t.Helper()
	id := personID("62010219900307123")
	no, err := MakeReportNo("620102", "K1", issued, 42)
	if err != nil {
		t.Fatal(err)
	}
	return Report{
		Subject: credit.Subject{ID: id, Kind: credit.NaturalPerson, Name: "王堃", Region: "620102"},
		Records: []credit.Record{
			{ID: "r1", SubjectID: id, Category: credit.CategoryBasic, Title: "职业资格：注册会计师",
				Content: "取得注册会计师执业资格。", SourceUnit: "甘肃省财政厅", DocumentNo: "甘财会〔2021〕12号",
				LegalBasis: "《中华人民共和国注册会计师法》", DecisionDate: time.Date(2021, 6, 1, 0, 0, 0, 0, credit.China)},
			{ID: "r2", SubjectID: id, Category: credit.CategoryUntrustworthy, Title: "行政处罚：未按规定申报纳税",
				Content:    "逾期未申报个人所得税，处罚款人民币贰仟元。当事人已于2025年10月缴清罚款。",
				SourceUnit: "国家税务总局兰州市城关区税务局", DocumentNo: "兰城税罚〔2025〕318号",
				LegalBasis: "《中华人民共和国税收征收管理法》第六十二条", DecisionDate: time.Date(2025, 9, 20, 0, 0, 0, 0, credit.China),
				PublicityUntil: time.Date(2026, 9, 20, 0, 0, 0, 0, credit.China), Tier: credit.TierGeneral, UnderObjection: true},
			{ID: "r3", SubjectID: id, Category: credit.CategoryOther, Title: "表彰：兰州市优秀志愿者",
				Content: "2024年度兰州市优秀志愿者。", SourceUnit: "兰州市文明办", DocumentNo: "兰文明〔2025〕3号",
				LegalBasis: "《甘肃省社会信用条例》第十五条", DecisionDate: time.Date(2025, 3, 5, 0, 0, 0, 0, credit.China)},
		},
		Inquiries: []credit.Inquiry{
			{ID: "q1", SubjectID: id, InquirerKind: credit.InquirerSelf, Purpose: credit.PurposeSelf, Channel: "620102K1", At: issued.Add(-2 * time.Minute)},
			{ID: "q2", SubjectID: id, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-007", Purpose: "行政审批（授权书 SQ-2025-88）", AuthRef: "SQ-2025-88", Channel: "620102C1", At: time.Date(2025, 12, 2, 9, 5, 0, 0, credit.China)},
		},
		DataAsOf: issued.Add(-3 * time.Hour),
		IssuedAt: issued,
		ReportNo: no,
		Office:   "兰州市城关区发展和改革局",
	}
}

// manyRecords returns n untrustworthy records for multi-page layouts.
func manyRecords(subjectID string, n int) []credit.Record {
	out := make([]credit.Record, n)
	for i := range out {
		out[i] = credit.Record{ID: fmt.Sprintf("m%d", i), SubjectID: subjectID, Category: credit.CategoryUntrustworthy,
			Title: fmt.Sprintf("行政处罚 第%d项", i+1), Content: "违反《甘肃省社会信用条例》相关规定，予以警告。",
			SourceUnit: "兰州市市场监督管理局", DocumentNo: fmt.Sprintf("兰市监罚〔2025〕%d号", i+1),
			LegalBasis: "《中华人民共和国行政处罚法》", DecisionDate: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, credit.China), Tier: credit.TierMinor}
	}
	return out
}

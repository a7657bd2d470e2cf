package apptest

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

// Fixture identifiers: a valid resident ID number and two valid USCCs.
var (
	PersonID = "62010219900307123" + string(credit.IDCheckChar("62010219900307123"))
	OrgID    = "91620102710000001" + string(credit.USCCCheckChar("91620102710000001"))
	Org2ID   = "91620102710000002" + string(credit.USCCCheckChar("91620102710000002"))
)

// Fixture names.
const (
	PersonName = "张三丰"
	OrgName    = "兰州黄河商贸有限公司"
	Org2Name   = "兰州丝路物流有限公司"
)

// Record IDs of the fixture person, one per category (two untrustworthy).
const (
	RecBasic   = "rec-basic-1"
	RecUntr    = "rec-untr-1"
	RecUntr2   = "rec-untr-2"
	RecOther   = "rec-other-1"
	RecOrg     = "rec-org-1"
	RecOrg2    = "rec-org2-1"
	DeviceID   = "kiosk-620102-01"
	OrgRecName = "安全生产行政处罚"
)

// PersonCard is the fixture person's resident ID card, valid until 2036.
func PersonCard() credit.IDCard {
	return credit.IDCard{
		Kind: credit.CardResident, Name: PersonName, Sex: "1", Ethnic: "01", Birth: "19900307",
		Address: "甘肃省兰州市城关区", Number: PersonID, Authority: "兰州市公安局城关分局",
		ValidFrom: "20160101", ValidTo: "20360101",
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, credit.China) }

// Fixture returns a cache synced at asOf holding FixtureData.
func Fixture(asOf time.Time) *Mem {
	m := NewMem(asOf)
	subjects, records := FixtureData()
	for _, s := range subjects {
		var own []credit.Record
		for _, r := range records {
			if r.SubjectID == s.ID {
				own = append(own, r)
			}
		}
		m.Put(s, own...)
	}
	return m
}

// FixtureData is the fixture person with records in every category and two
// businesses with one record each, for loading into any implementation.
func FixtureData() ([]credit.Subject, []credit.Record) {
	var subjects []credit.Subject
	var records []credit.Record
	put := func(s credit.Subject, recs ...credit.Record) {
		subjects = append(subjects, s)
		for _, r := range recs {
			r.Version = 1
			records = append(records, r)
		}
	}
	put(credit.Subject{ID: PersonID, Kind: credit.NaturalPerson, Name: PersonName, Region: "620102", Version: 1},
		credit.Record{ID: RecBasic, SubjectID: PersonID, Category: credit.CategoryBasic, Title: "职业资格：注册会计师",
			SourceUnit: "甘肃省财政厅", DocumentNo: "甘财会〔2020〕12号", LegalBasis: "《甘肃省社会信用条例》第十一条", DecisionDate: day(2020, 5, 6)},
		credit.Record{ID: RecUntr, SubjectID: PersonID, Category: credit.CategoryUntrustworthy, Title: "行政处罚：未按期申报纳税",
			SourceUnit: "国家税务总局兰州市税务局", DocumentNo: "兰税罚〔2025〕88号", LegalBasis: "《税收征收管理法》第六十二条",
			DecisionDate: day(2025, 3, 14), PublicityUntil: day(2026, 3, 14), Tier: credit.TierMinor},
		credit.Record{ID: RecUntr2, SubjectID: PersonID, Category: credit.CategoryUntrustworthy, Title: "失信被执行人",
			SourceUnit: "兰州市城关区人民法院", DocumentNo: "(2024)甘0102执123号", LegalBasis: "《甘肃省社会信用条例》第十二条",
			DecisionDate: day(2024, 8, 1), PublicityUntil: day(2027, 8, 1), Tier: credit.TierSerious},
		credit.Record{ID: RecOther, SubjectID: PersonID, Category: credit.CategoryOther, Title: "志愿服务记录",
			SourceUnit: "兰州市文明办", DocumentNo: "兰文明〔2023〕5号", LegalBasis: "《甘肃省社会信用条例》第十五条", DecisionDate: day(2023, 12, 5)},
	)
	put(credit.Subject{ID: OrgID, Kind: credit.LegalPerson, Name: OrgName, Region: "620102", Version: 1},
		credit.Record{ID: RecOrg, SubjectID: OrgID, Category: credit.CategoryUntrustworthy, Title: OrgRecName,
			SourceUnit: "兰州市应急管理局", DocumentNo: "兰应急罚〔2025〕7号", LegalBasis: "《安全生产法》第九十九条",
			DecisionDate: day(2025, 6, 2), PublicityUntil: day(2026, 6, 2), Tier: credit.TierGeneral})
	put(credit.Subject{ID: Org2ID, Kind: credit.LegalPerson, Name: Org2Name, Region: "620102", Version: 1},
		credit.Record{ID: RecOrg2, SubjectID: Org2ID, Category: credit.CategoryBasic, Title: "营业执照登记",
			SourceUnit: "兰州市市场监督管理局", DocumentNo: "620102000012345", LegalBasis: "《甘肃省社会信用条例》第十一条", DecisionDate: day(2019, 1, 9)})
	return subjects, records
}

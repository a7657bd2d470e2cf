package synth

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, credit.China) }

// addDemoPerson adds DemoID with one record in each category, including a
// general-tier penalty still under publicity in 2026.
func (g *gen) addDemoPerson() {
	g.addSubject(credit.Subject{ID: DemoID, Kind: credit.NaturalPerson, Name: DemoName, Region: "620102"})
	g.addRecord(credit.Record{
		SubjectID: DemoID, Category: credit.CategoryBasic,
		Title: "个体工商户登记", Content: "经登记机关核准，领取个体工商户营业执照（城关区晓燕副食店）。",
		SourceUnit: "兰州市城关区市场监督管理局", DocumentNo: "兰城市监登〔2023〕418号",
		LegalBasis: "《促进个体工商户发展条例》第八条", DecisionDate: day(2023, 4, 11),
	})
	d := day(2026, 3, 16)
	g.addRecord(credit.Record{
		SubjectID: DemoID, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚：经营超过保质期的食品", Content: "经营超过保质期的预包装食品（饮料12瓶），没收违法所得并处罚款人民币5000元。",
		SourceUnit: "兰州市城关区市场监督管理局", DocumentNo: "兰城市监罚〔2026〕57号",
		LegalBasis: "《中华人民共和国食品安全法》第一百二十四条", DecisionDate: d,
		PublicityUntil: PublicityUntil(d, credit.TierGeneral), Tier: credit.TierGeneral,
	})
	g.addRecord(credit.Record{
		SubjectID: DemoID, Category: credit.CategoryOther,
		Title: "荣誉：无偿献血奉献奖", Content: "获全国无偿献血奉献奖铜奖。",
		SourceUnit: "甘肃省卫生健康委员会", DocumentNo: "甘卫表〔2024〕12号",
		LegalBasis: "《中华人民共和国献血法》第十四条", DecisionDate: day(2024, 6, 14),
	})
}

// addDemoBusiness adds DemoUSCC with records in all three categories.
func (g *gen) addDemoBusiness() {
	g.addSubject(credit.Subject{ID: DemoUSCC, Kind: credit.LegalPerson, Name: DemoOrgName, Region: "620102"})
	g.addRecord(credit.Record{
		SubjectID: DemoUSCC, Category: credit.CategoryBasic,
		Title: "设立登记", Content: "经登记机关核准设立，领取营业执照。",
		SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰市监登〔2023〕1024号",
		LegalBasis: "《中华人民共和国市场主体登记管理条例》第二十一条", DecisionDate: day(2023, 2, 20),
	})
	g.addRecord(credit.Record{
		SubjectID: DemoUSCC, Category: credit.CategoryBasic,
		Title: "行政许可：食品经营许可证", Content: "准予食品经营许可，经营项目：预包装食品销售。",
		SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰市监许〔2023〕2231号",
		LegalBasis: "《中华人民共和国食品安全法》第三十五条", DecisionDate: day(2023, 3, 8),
	})
	d1 := day(2025, 9, 2)
	g.addRecord(credit.Record{
		SubjectID: DemoUSCC, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚：未按规定公示年度报告", Content: "未按规定期限公示2024年度报告，责令改正并处罚款人民币2000元。",
		SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰市监罚〔2025〕123号",
		LegalBasis: "《企业信息公示暂行条例》第十八条", DecisionDate: d1,
		PublicityUntil: PublicityUntil(d1, credit.TierMinor), Tier: credit.TierMinor,
	})
	d2 := day(2026, 5, 21)
	g.addRecord(credit.Record{
		SubjectID: DemoUSCC, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚：逃避缴纳税款", Content: "通过虚假纳税申报少缴增值税，追缴税款、滞纳金并处少缴税款百分之五十的罚款。",
		SourceUnit: "国家税务总局甘肃省税务局", DocumentNo: "甘税稽罚〔2026〕31号",
		LegalBasis: "《中华人民共和国税收征收管理法》第六十三条", DecisionDate: d2,
		PublicityUntil: PublicityUntil(d2, credit.TierSerious), Tier: credit.TierSerious,
	})
	g.addRecord(credit.Record{
		SubjectID: DemoUSCC, Category: credit.CategoryOther,
		Title: "信用承诺：依法诚信经营承诺", Content: "书面承诺依法诚信经营，如违反承诺自愿接受约束。",
		SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰信承〔2024〕77号",
		LegalBasis: "《甘肃省社会信用条例》第二十一条", DecisionDate: day(2024, 1, 9),
	})
}

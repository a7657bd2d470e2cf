package credit

// InquiryPurpose is the purpose of an authorised inquiry by a state organ
// or an organisation with public-affairs duties (Art. 25). Its string is
// what the inquiry log stores in Inquiry.Purpose.
type InquiryPurpose string

// The purposes of Art. 25, items (1) to (6).
const (
	PurposeAdministrative InquiryPurpose = "art25_administrative" // (1) licensing, punishment, compulsion, payments
	PurposeProcurement    InquiryPurpose = "art25_procurement"    // (2) procurement, tendering, approvals, market entry, support, land, credentials, R&D, audits
	PurposeCivilService   InquiryPurpose = "art25_civil_service"  // (3) recruitment, transfer and promotion of civil servants
	PurposeCommendation   InquiryPurpose = "art25_commendation"   // (4) commendations
	PurposeTalent         InquiryPurpose = "art25_talent"         // (5) bringing in talent
	PurposeOtherLawful    InquiryPurpose = "art25_other"          // (6) other work required by laws, regulations and state provisions
)

// Art25Purposes lists the purposes in the order of Art. 25.
var Art25Purposes = []InquiryPurpose{
	PurposeAdministrative, PurposeProcurement, PurposeCivilService,
	PurposeCommendation, PurposeTalent, PurposeOtherLawful,
}

// purposeLabels are the zh and en labels of the Art. 25 purposes.
var purposeLabels = map[InquiryPurpose][2]string{
	PurposeAdministrative: {"行政许可、行政处罚、行政强制、行政给付", "Administrative licensing, punishment, compulsion or payments"},
	PurposeProcurement:    {"政府采购、招标投标、行政审批、市场准入、资金项目支持、国有土地出让、资质审核、科研管理、审计等", "Procurement, tendering, approvals, market entry, funding, land sales, credential review, research management, audits"},
	PurposeCivilService:   {"公务员招录、调任及职务职级确定与晋升", "Recruitment, transfer and promotion of civil servants"},
	PurposeCommendation:   {"评优评先、表彰奖励", "Commendations"},
	PurposeTalent:         {"人才引进", "Bringing in talent"},
	PurposeOtherLawful:    {"法律、法规和国家有关规定要求查询的其他工作", "Other work requiring an inquiry under laws, regulations or state provisions"},
}

// Label returns the purpose's Chinese and English labels; an unknown
// purpose is labelled with its own string.
func (p InquiryPurpose) Label() (zh, en string) {
	if l, ok := purposeLabels[p]; ok {
		return l[0], l[1]
	}
	return string(p), string(p)
}

// Valid reports whether p is one of the Art. 25 purposes.
func (p InquiryPurpose) Valid() bool {
	_, ok := purposeLabels[p]
	return ok
}

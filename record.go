package credit

import "time"

// Category is the information category of Arts. 11-15 of the regulations.
type Category string

// Categories, in the order reports list them.
const (
	CategoryBasic         Category = "basic"         // 基本信息
	CategoryUntrustworthy Category = "untrustworthy" // 失信信息
	CategoryOther         Category = "other"         // 其他信息
)

// Categories lists all categories in display order.
var Categories = []Category{CategoryBasic, CategoryUntrustworthy, CategoryOther}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	return c == CategoryBasic || c == CategoryUntrustworthy || c == CategoryOther
}

// Label returns the category's Chinese and English names.
func (c Category) Label() (zh, en string) {
	switch c {
	case CategoryBasic:
		return "基本信息", "Basic information"
	case CategoryUntrustworthy:
		return "失信信息", "Untrustworthiness information"
	case CategoryOther:
		return "其他信息", "Other information"
	}
	return string(c), string(c)
}

// Tier grades untrustworthiness information (国办发〔2025〕22号).
type Tier string

// Tiers; empty for records that are not untrustworthiness information.
const (
	TierNone    Tier = ""
	TierMinor   Tier = "minor"   // 轻微
	TierGeneral Tier = "general" // 一般
	TierSerious Tier = "serious" // 严重
)

// Label returns the tier's Chinese and English names.
func (t Tier) Label() (zh, en string) {
	switch t {
	case TierMinor:
		return "轻微", "minor"
	case TierGeneral:
		return "一般", "general"
	case TierSerious:
		return "严重", "serious"
	}
	return "", ""
}

// Record is one item of public credit information about a subject.
type Record struct {
	ID             string    `json:"id"`
	SubjectID      string    `json:"subject_id"`
	Category       Category  `json:"category"`
	Title          string    `json:"title"`
	Content        string    `json:"content"`
	SourceUnit     string    `json:"source_unit"` // 信息提供单位
	DocumentNo     string    `json:"document_no"` // 决定文书号
	LegalBasis     string    `json:"legal_basis"`
	DecisionDate   time.Time `json:"decision_date"`
	PublicityUntil time.Time `json:"publicity_until,omitzero"` // end of the disclosure period; zero = none
	Tier           Tier      `json:"tier,omitempty"`
	Version        int64     `json:"ver"`

	// Listing is set on a serious-list record (Art. 36; recordinfo.go).
	Listing *SeriousListing `json:"serious_list,omitempty"`
	// History is the record's change history with reason codes, oldest
	// first (Art. 44).
	History []RecordChange `json:"history,omitempty"`

	// UnderObjection is a local label: an objection against this record
	// is open. It is set by the store, never sent by the platform alone.
	UnderObjection bool `json:"-"`
}

// Validate checks what a record must carry before it is stored or shown.
func (r Record) Validate() error {
	switch {
	case r.ID == "":
		return Errorf(EINVALID, "记录缺少编号。", "The record has no ID.")
	case r.SubjectID == "":
		return Errorf(EINVALID, "记录缺少主体。", "The record has no subject.")
	case !r.Category.Valid():
		return Errorf(EINVALID, "记录类别无效。", "The record's category %q is unknown.", r.Category)
	case r.SourceUnit == "":
		return Errorf(EINVALID, "记录缺少信息提供单位。", "The record has no source unit.")
	}
	return nil
}

package credit

import "time"

// InquirerKind says who made an inquiry (Art. 24, 25, 45).
type InquirerKind string

// Inquirer kinds.
const (
	InquirerSelf   InquirerKind = "self"   // the card holder into their own records
	InquirerClerk  InquirerKind = "clerk"  // a logged-in clerk with a purpose
	InquirerPublic InquirerKind = "public" // an anonymous search of a business
)

// Inquiry is one entry of the inquiry log. Every look at a subject's records,
// on screen or printed, writes one.
type Inquiry struct {
	ID           string       `json:"id"` // UUID
	SubjectID    string       `json:"subject_id"`
	InquirerKind InquirerKind `json:"inquirer_kind"`
	InquirerID   string       `json:"inquirer_id,omitempty"` // clerk id; empty for self and public
	Purpose      string       `json:"purpose"`
	AuthRef      string       `json:"auth_ref,omitempty"` // authorisation reference for third-party inquiries
	Channel      string       `json:"channel"`            // device id
	At           time.Time    `json:"at"`
}

// Purpose of a self-inquiry and of a public business search.
const (
	PurposeSelf   = "self_inquiry"
	PurposePublic = "public_search"
)

// Validate enforces Art. 23 at the data level: a third party's inquiry into a
// natural person needs a purpose and an authorisation reference.
func (q Inquiry) Validate(kind SubjectKind) error {
	if q.SubjectID == "" || q.Channel == "" || q.At.IsZero() {
		return Errorf(EINVALID, "查询记录不完整。", "The inquiry log entry is incomplete.")
	}
	if kind == NaturalPerson && q.InquirerKind == InquirerPublic {
		return Errorf(EUNAUTHORIZED, "自然人信用信息须本人查询或经授权查询。", "A natural person's records are shown only to the holder or under an authorised inquiry.")
	}
	if kind == NaturalPerson && q.InquirerKind == InquirerClerk && (q.Purpose == "" || q.AuthRef == "") {
		return Errorf(EUNAUTHORIZED, "查询自然人信息须填写查询用途和授权书编号。", "An inquiry into a natural person needs a purpose and an authorisation reference.")
	}
	return nil
}

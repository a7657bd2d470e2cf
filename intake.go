package credit

import "time"

// PurposeIntake is the purpose logged when a clerk opens a subject's records
// to take an objection (Art. 46) or a restoration application (Art. 47) on
// the subject's behalf. None of the Art. 25 purposes fits: those are state
// organs' own uses of the data, while intake serves the subject's rights, at
// the subject's (or their representative's) request at the window.
const PurposeIntake = "objection_restoration_intake"

// ApplicantRole says who brings an application to the window (domain.md
// §3.1): the subject in person, a legal representative or an authorised
// agent.
type ApplicantRole string

// Applicant roles.
const (
	ApplicantSelf     ApplicantRole = "self"
	ApplicantLegalRep ApplicantRole = "legal_representative"
	ApplicantAgent    ApplicantRole = "agent"
)

// ApplicantRoles lists the roles in display order.
var ApplicantRoles = []ApplicantRole{ApplicantSelf, ApplicantLegalRep, ApplicantAgent}

// Label returns the role's Chinese and English names.
func (r ApplicantRole) Label() (zh, en string) {
	switch r {
	case ApplicantSelf:
		return "本人", "the subject in person"
	case ApplicantLegalRep:
		return "法定代表人", "legal representative"
	case ApplicantAgent:
		return "委托代理人", "authorised agent"
	}
	return string(r), string(r)
}

// Valid reports whether r is one of ApplicantRoles.
func (r ApplicantRole) Valid() bool {
	for _, x := range ApplicantRoles {
		if x == r {
			return true
		}
	}
	return false
}

// Intake is the office's note on an application taken at the window: which
// clerk took it, for whom and on what authority. Objection and Restoration
// carry no clerk, so the office keeps this beside them.
type Intake struct {
	ApplicationID string          // the objection's or restoration's UUID
	Kind          ApplicationKind // objection or restoration
	ClerkID       string          // staff number of the clerk who took it
	Role          ApplicantRole   // who applied
	AuthRef       string          // authorisation letter number; "" for the subject in person
	At            time.Time
}

// PurposeLabel returns the Chinese and English label of any purpose the
// inquiry log holds: an Art. 25 purpose, a self-inquiry, a public search or
// an intake look (for "who looked at my data").
func PurposeLabel(purpose string) (zh, en string) {
	switch purpose {
	case PurposeSelf:
		return "本人查询", "self-inquiry"
	case PurposePublic:
		return "公开查询", "public search"
	case PurposeIntake:
		return "受理异议或信用修复申请", "taking an objection or restoration application"
	}
	return InquiryPurpose(purpose).Label()
}

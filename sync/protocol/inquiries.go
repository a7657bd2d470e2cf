package protocol

import (
	"encoding/json"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// PathInquiries is where a device uploads its inquiry log entries
// (POST, a batch; idempotent by inquiry UUID).
const PathInquiries = PathPrefix + "/inquiries"

// MaxInquiryBatch is the most entries one upload may carry.
const MaxInquiryBatch = 200

// InquiryV1 is one inquiry log entry on the wire: the body of an upload
// item and the "d" of a put of type inquiry. It holds no more than the
// device's own log does (Art. 24, 25, 45): no names, only the clerk id of a
// third-party inquirer, the purpose, the authorisation reference, the
// channel (device id) and the time.
type InquiryV1 struct {
	ID           string    `json:"id"`
	SubjectID    string    `json:"subject_id"`
	InquirerKind string    `json:"inquirer_kind"`
	InquirerID   string    `json:"inquirer_id,omitempty"`
	Purpose      string    `json:"purpose"`
	AuthRef      string    `json:"auth_ref,omitempty"`
	Channel      string    `json:"channel"`
	At           time.Time `json:"at"`
}

// InquiryBatchV1 is the body of POST /sync/v1/inquiries.
type InquiryBatchV1 struct {
	Inquiries []InquiryV1 `json:"inquiries"`
}

// InquiryRejectV1 names an entry the platform refused, and why.
type InquiryRejectV1 struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// InquiryAckV1 answers an upload: Acked are the ids the platform holds
// (stored now or before), Rejected the entries it will never take.
type InquiryAckV1 struct {
	Acked    []string          `json:"acked"`
	Rejected []InquiryRejectV1 `json:"rejected,omitempty"`
}

// InquiryToWire converts a log entry to its wire form.
func InquiryToWire(q credit.Inquiry) InquiryV1 {
	return InquiryV1{ID: q.ID, SubjectID: q.SubjectID, InquirerKind: string(q.InquirerKind), InquirerID: q.InquirerID,
		Purpose: q.Purpose, AuthRef: q.AuthRef, Channel: q.Channel, At: q.At}
}

// InquiryFromWire converts a wire entry back.
func InquiryFromWire(w InquiryV1) credit.Inquiry {
	return credit.Inquiry{ID: w.ID, SubjectID: w.SubjectID, InquirerKind: credit.InquirerKind(w.InquirerKind), InquirerID: w.InquirerID,
		Purpose: w.Purpose, AuthRef: w.AuthRef, Channel: w.Channel, At: w.At}
}

// CheckInquiry reports what makes a wire entry unacceptable, as an
// EINVALID *credit.Error: an entry needs an id, a subject, a known
// inquirer kind, a channel and a time, and a third party's inquiry into a
// natural person needs a purpose and an authorisation reference (Art. 23).
func CheckInquiry(w InquiryV1) error {
	q := InquiryFromWire(w)
	switch q.InquirerKind {
	case credit.InquirerSelf, credit.InquirerClerk, credit.InquirerPublic:
	default:
		return credit.Errorf(credit.EINVALID, "查询记录的查询人类型无效。", "Inquiry %q has an unknown inquirer kind %q.", q.ID, w.InquirerKind)
	}
	if q.ID == "" || len(q.ID) > 64 || len(q.SubjectID) > 64 || len(q.Channel) > 128 {
		return credit.Errorf(credit.EINVALID, "查询记录编号无效。", "Inquiry %q has a missing or oversized id.", q.ID)
	}
	// Anything that is not an organisation's code is treated as a person:
	// the stricter rule applies when in doubt.
	kind := credit.NaturalPerson
	if _, err := credit.ParseIDNumber(q.SubjectID); err != nil {
		if _, err := credit.ParseUSCC(q.SubjectID); err == nil {
			kind = credit.LegalPerson
		}
	}
	return q.Validate(kind)
}

// decodeInquiryLine decodes the "d" of a put of type inquiry.
func decodeInquiryLine(l Line) (*credit.Inquiry, error) {
	var w InquiryV1
	if err := json.Unmarshal(l.D, &w); err != nil {
		return nil, fmt.Errorf("inquiry %q: %w", l.ID, err)
	}
	if w.ID != l.ID {
		return nil, fmt.Errorf("inquiry data id %q differs from op id %q", w.ID, l.ID)
	}
	q := InquiryFromWire(w)
	return &q, nil
}

package protocol

import "time"

// The platform officer's API (/platform/v1): the operations of the rights
// chapter (Arts. 46-48) an officer performs on received applications and
// on records. It is authenticated with an officer's bearer token, never a
// device's, and never carries a token in the URL.

// PlatformPrefix is the URL prefix of the officer API.
const PlatformPrefix = "/platform/v1"

// Officer API paths; {id} is an application UUID or a record id.
const (
	PathPlatformApplications = PlatformPrefix + "/applications"               // GET: every application with its deadlines
	PathPlatformOverdue      = PlatformPrefix + "/overdue"                    // GET: applications past a deadline
	PathObjectionLabel       = PlatformPrefix + "/objections/{id}/label"      // POST
	PathObjectionReview      = PlatformPrefix + "/objections/{id}/review"     // POST
	PathObjectionDecision    = PlatformPrefix + "/objections/{id}/decision"   // POST ObjectionDecisionV1
	PathRestorationAccept    = PlatformPrefix + "/restorations/{id}/accept"   // POST
	PathRestorationReject    = PlatformPrefix + "/restorations/{id}/reject"   // POST ReasonsV1
	PathRestorationDecision  = PlatformPrefix + "/restorations/{id}/decision" // POST RestorationDecisionV1
	PathApplicationClose     = PlatformPrefix + "/applications/{id}/close"    // POST ReasonsV1 (note)
	PathRecordRevoke         = PlatformPrefix + "/records/{id}/revoke"        // POST ReasonsV1 (note)
)

// CodeConflict (409): the operation does not fit the application's
// current status (an illegal lifecycle transition).
const CodeConflict = "conflict"

// ReasonsV1 is the body of an operation that takes only written reasons
// (or a note).
type ReasonsV1 struct {
	Reasons string `json:"reasons,omitempty"`
}

// ObjectionDecisionV1 decides an objection (Art. 46). Not corrected needs
// reasons. Corrected with a record replaces the record (a put with a
// higher version); corrected without one withdraws it (a tombstone).
type ObjectionDecisionV1 struct {
	Corrected bool      `json:"corrected"`
	Reasons   string    `json:"reasons,omitempty"`
	Record    *RecordV1 `json:"record,omitempty"`
}

// RestorationDecisionV1 decides an accepted restoration (Art. 47).
// Refused needs reasons; restored deletes the record (a tombstone).
type RestorationDecisionV1 struct {
	Restored bool   `json:"restored"`
	Reasons  string `json:"reasons,omitempty"`
}

// DeadlineV1 is one working-day deadline of an application.
type DeadlineV1 struct {
	Name        string    `json:"name"` // label, decision, acceptance, feedback
	Due         time.Time `json:"due"`
	Late        bool      `json:"late"`
	DaysLate    int       `json:"working_days_late"`
	Provisional bool      `json:"provisional,omitempty"` // counted over a year without a holiday notice
}

// PlatformApplicationV1 is an application as the officer sees it after an
// operation or in a listing.
type PlatformApplicationV1 struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	DeviceID   string    `json:"device_id"`
	RecordID   string    `json:"record_id,omitempty"`
	Status     string    `json:"status"`
	Note       string    `json:"note,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	// Pending is the first deadline not met yet; nil once decided.
	Pending *DeadlineV1 `json:"pending,omitempty"`
	// Label reports when the objection label was applied relative to its
	// 1-working-day deadline (Art. 46); nil until labelled.
	Label *LabelReportV1 `json:"label,omitempty"`
}

// LabelReportV1 says when an objection label was applied.
type LabelReportV1 struct {
	At       time.Time `json:"at"`
	Due      time.Time `json:"due"`
	Late     bool      `json:"late"`
	DaysLate int       `json:"working_days_late"`
}

// RevocationV1 answers a revocation (Art. 48): the tombstone's version and
// the time by which devices must have deleted the record.
type RevocationV1 struct {
	RecordID    string    `json:"record_id"`
	Version     int64     `json:"ver"`
	WithdrawDue time.Time `json:"withdraw_due"`
}

package credit

import "time"

// ChangeOp is what a change does to the local cache.
type ChangeOp string

// Change operations.
const (
	OpPut ChangeOp = "put"
	OpDel ChangeOp = "del"
)

// ChangeType names the kind of row a change is about.
type ChangeType string

// Change types.
const (
	TypeSubject           ChangeType = "subject"
	TypeRecord            ChangeType = "record"
	TypeApplicationStatus ChangeType = "application_status"
	// TypeInquiry is an inquiry log entry made at another terminal
	// (Art. 24, 25, 45): the subject sees inquiries made anywhere.
	TypeInquiry ChangeType = "inquiry"
)

// Change is one entry of the platform's change feed, already decoded from
// the wire. A put carries the full row; a del carries only its identity and
// a reason (tombstones hold no personal data).
type Change struct {
	Seq     int64
	Op      ChangeOp
	Type    ChangeType
	ID      string
	Version int64
	Reason  string // for del: withdrawn, restored, expired, ...

	Subject *Subject
	Record  *Record
	Status  *StatusUpdate
	Inquiry *Inquiry
}

// StatusUpdate is the platform's news about an application.
type StatusUpdate struct {
	ApplicationID string            `json:"application_id"`
	Status        ApplicationStatus `json:"status"`
	Note          string            `json:"note,omitempty"` // e.g. written reasons for not correcting
	At            time.Time         `json:"at"`
}

// OutboxItem is a captured application waiting to reach the platform. Its
// body is frozen when it is queued and sent byte for byte.
type OutboxItem struct {
	ID        string          // client UUID: the idempotency key
	Kind      ApplicationKind //
	Body      []byte          // canonical JSON, frozen
	Digest    string          // hex SHA-256 of Body
	CreatedAt time.Time       // device time, informative only
	Attempts  int
	LastError string
}

// Receipt is the platform's answer to an application: proof that it holds it.
type Receipt struct {
	ApplicationID string    `json:"application_id"`
	Digest        string    `json:"digest"`
	ServerSeq     int64     `json:"server_seq"`
	ReceivedAt    time.Time `json:"received_at"`
	Signature     string    `json:"signature,omitempty"`
}

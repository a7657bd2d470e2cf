package protocol

import (
	"encoding/json"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// SubjectV1 is a subject on the wire ("d" of a put of type subject).
type SubjectV1 struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
}

// RecordV1 is a credit record on the wire ("d" of a put of type record).
type RecordV1 struct {
	ID             string    `json:"id"`
	SubjectID      string    `json:"subject_id"`
	Category       string    `json:"category"`
	Title          string    `json:"title"`
	Content        string    `json:"content"`
	SourceUnit     string    `json:"source_unit"`
	DocumentNo     string    `json:"document_no,omitempty"`
	LegalBasis     string    `json:"legal_basis,omitempty"`
	DecisionDate   time.Time `json:"decision_date"`
	PublicityUntil time.Time `json:"publicity_until,omitzero"`
	Tier           string    `json:"tier,omitempty"`
	// Listing: a serious-list record's Art. 36 statement; History: its
	// change history with reason codes (Art. 44). record_extra.go.
	Listing *SeriousListingV1 `json:"serious_list,omitempty"`
	History []RecordChangeV1  `json:"history,omitempty"`
}

// StatusV1 is news about an application ("d" of a put of type
// application_status).
type StatusV1 struct {
	ApplicationID string    `json:"application_id"`
	Status        string    `json:"status"`
	Note          string    `json:"note,omitempty"`
	At            time.Time `json:"at"`
}

// ReceiptV1 is the body of a successful PUT /applications/{uuid}.
type ReceiptV1 struct {
	ApplicationID string    `json:"application_id"`
	Digest        string    `json:"digest"` // hex SHA-256 of the body as received
	ServerSeq     int64     `json:"server_seq"`
	ReceivedAt    time.Time `json:"received_at"`
	Signature     string    `json:"signature,omitempty"`
}

// Hello is the body of GET /hello.
type Hello struct {
	Protocol       int       `json:"protocol"`
	ServerTime     time.Time `json:"server_time"`
	PageLimit      int       `json:"page_limit"`
	MaxStalenessH  int       `json:"max_staleness_h"`
	DeviceID       string    `json:"device_id"`
	HeadSeq        int64     `json:"head_seq"`
	MaxApplication int       `json:"max_application_bytes"`
	// TombstoneHorizonH is how long the server keeps tombstones: a device
	// whose cursor is older resyncs from a snapshot.
	TombstoneHorizonH int `json:"tombstone_horizon_h,omitempty"`
	// Epoch is the platform's current epoch, as change cursors carry it.
	Epoch string `json:"epoch,omitempty"`
	// RestoredFromSeq and RestoredFromEpoch describe the platform's last
	// restore from a backup: the change-log head of the backup and the
	// epoch it was taken in. Receipts of that epoch with a higher
	// server_seq were lost with the restore and their applications must
	// be sent again (sync.md §2.6); 0 and "" when never restored.
	RestoredFromSeq   int64  `json:"restored_from_seq,omitempty"`
	RestoredFromEpoch string `json:"restored_from_epoch,omitempty"`
	// BatchApplications is the most items POST /applications:batch takes
	// (batch.go); 0 when the server has no batch form: the client sends
	// one PUT per application.
	BatchApplications int `json:"batch_applications,omitempty"`
}

// SubjectToWire converts a domain subject to its wire form.
func SubjectToWire(s credit.Subject) SubjectV1 {
	return SubjectV1{ID: s.ID, Kind: string(s.Kind), Name: s.Name, Region: s.Region}
}

// SubjectFromWire converts a wire subject back; ver comes from the op line.
func SubjectFromWire(w SubjectV1, ver int64) credit.Subject {
	return credit.Subject{ID: w.ID, Kind: credit.SubjectKind(w.Kind), Name: w.Name, Region: w.Region, Version: ver}
}

// RecordToWire converts a domain record to its wire form. The local
// UnderObjection label never travels.
func RecordToWire(r credit.Record) RecordV1 {
	return RecordV1{
		ID: r.ID, SubjectID: r.SubjectID, Category: string(r.Category), Title: r.Title,
		Content: r.Content, SourceUnit: r.SourceUnit, DocumentNo: r.DocumentNo,
		LegalBasis: r.LegalBasis, DecisionDate: r.DecisionDate, PublicityUntil: r.PublicityUntil,
		Tier: string(r.Tier), Listing: listingToWire(r.Listing), History: historyToWire(r.History),
	}
}

// RecordFromWire converts a wire record back; ver comes from the op line.
func RecordFromWire(w RecordV1, ver int64) credit.Record {
	return credit.Record{
		ID: w.ID, SubjectID: w.SubjectID, Category: credit.Category(w.Category), Title: w.Title,
		Content: w.Content, SourceUnit: w.SourceUnit, DocumentNo: w.DocumentNo,
		LegalBasis: w.LegalBasis, DecisionDate: w.DecisionDate, PublicityUntil: w.PublicityUntil,
		Tier: credit.Tier(w.Tier), Version: ver, Listing: listingFromWire(w.Listing), History: historyFromWire(w.History),
	}
}

// StatusToWire converts a status update to its wire form.
func StatusToWire(s credit.StatusUpdate) StatusV1 {
	return StatusV1{ApplicationID: s.ApplicationID, Status: string(s.Status), Note: s.Note, At: s.At}
}

// StatusFromWire converts a wire status update back.
func StatusFromWire(w StatusV1) credit.StatusUpdate {
	return credit.StatusUpdate{ApplicationID: w.ApplicationID, Status: credit.ApplicationStatus(w.Status), Note: w.Note, At: w.At}
}

// ReceiptToWire converts a receipt to its wire form.
func ReceiptToWire(r credit.Receipt) ReceiptV1 {
	return ReceiptV1{ApplicationID: r.ApplicationID, Digest: r.Digest, ServerSeq: r.ServerSeq, ReceivedAt: r.ReceivedAt, Signature: r.Signature}
}

// ReceiptFromWire converts a wire receipt back.
func ReceiptFromWire(w ReceiptV1) credit.Receipt {
	return credit.Receipt{ApplicationID: w.ApplicationID, Digest: w.Digest, ServerSeq: w.ServerSeq, ReceivedAt: w.ReceivedAt, Signature: w.Signature}
}

// Payload returns the wire "d" of a put change: the JSON of the wire form
// of its Subject, Record or Status. A del has no payload.
func Payload(c credit.Change) (json.RawMessage, error) {
	if c.Op != credit.OpPut {
		return nil, nil
	}
	var v any
	switch {
	case c.Type == credit.TypeSubject && c.Subject != nil:
		v = SubjectToWire(*c.Subject)
	case c.Type == credit.TypeRecord && c.Record != nil:
		v = RecordToWire(*c.Record)
	case c.Type == credit.TypeApplicationStatus && c.Status != nil:
		v = StatusToWire(*c.Status)
	case c.Type == credit.TypeInquiry && c.Inquiry != nil:
		v = InquiryToWire(*c.Inquiry)
	default:
		return nil, fmt.Errorf("protocol: put %s %q has no %s payload", c.Type, c.ID, c.Type)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("protocol: encode %s payload: %w", c.Type, err)
	}
	return b, nil
}

// knownType reports whether t is a change type v1 clients understand.
func knownType(t string) bool {
	switch credit.ChangeType(t) {
	case credit.TypeSubject, credit.TypeRecord, credit.TypeApplicationStatus, credit.TypeInquiry:
		return true
	}
	return false
}

// changeFromLine converts a decoded op line to a domain change.
func changeFromLine(l Line) (credit.Change, error) {
	c := credit.Change{Seq: l.Seq, Op: credit.ChangeOp(l.Op), Type: credit.ChangeType(l.T), ID: l.ID, Version: l.Ver, Reason: l.Why}
	if c.Op == credit.OpDel {
		return c, nil
	}
	if len(l.D) == 0 {
		return c, fmt.Errorf("put %s %q has no data", l.T, l.ID)
	}
	switch c.Type {
	case credit.TypeSubject:
		w, fast := subjectFast(l.D) // payload_fast.go
		if !fast {
			if err := json.Unmarshal(l.D, &w); err != nil {
				return c, fmt.Errorf("subject %q: %w", l.ID, err)
			}
		}
		if w.ID != l.ID {
			return c, fmt.Errorf("subject data id %q differs from op id %q", w.ID, l.ID)
		}
		s := SubjectFromWire(w, l.Ver)
		c.Subject = &s
	case credit.TypeRecord:
		w, fast := recordFast(l.D)
		if !fast {
			if err := json.Unmarshal(l.D, &w); err != nil {
				return c, fmt.Errorf("record %q: %w", l.ID, err)
			}
		}
		if w.ID != l.ID {
			return c, fmt.Errorf("record data id %q differs from op id %q", w.ID, l.ID)
		}
		r := RecordFromWire(w, l.Ver)
		c.Record = &r
	case credit.TypeApplicationStatus:
		var w StatusV1
		if err := json.Unmarshal(l.D, &w); err != nil {
			return c, fmt.Errorf("application status %q: %w", l.ID, err)
		}
		if w.ApplicationID != l.ID {
			return c, fmt.Errorf("status application id %q differs from op id %q", w.ApplicationID, l.ID)
		}
		s := StatusFromWire(w)
		c.Status = &s
	case credit.TypeInquiry:
		q, err := decodeInquiryLine(l)
		if err != nil {
			return c, err
		}
		c.Inquiry = q
	}
	return c, nil
}

// AckV1 is the body of POST /ack: the device reports the cursor it has
// saved with applied data, the highest change seq it applied and when
// (device clock, informational). The server trusts only the cursor.
type AckV1 struct {
	Cursor            string    `json:"cursor"`
	AppliedThroughSeq int64     `json:"applied_through_seq"`
	AppliedAt         time.Time `json:"applied_at"`
}

// AckReplyV1 answers an ack with the seq the server recorded.
type AckReplyV1 struct {
	AckedSeq int64 `json:"acked_seq"`
	// DeletionLag is this device's deletion lag after the ack (progress.go);
	// absent from older servers.
	DeletionLag *DeletionLagV1 `json:"deletion_lag,omitempty"`
}

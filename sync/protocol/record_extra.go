package protocol

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

// SeriousListingV1 is a serious-list record's Art. 36 statement on the
// wire (RecordV1.Listing). Present, even empty, marks the record as a
// serious-list record.
type SeriousListingV1 struct {
	Unit              string `json:"unit,omitempty"`
	Reasons           string `json:"reasons,omitempty"`
	Basis             string `json:"basis,omitempty"`
	RemovalConditions string `json:"removal_conditions,omitempty"`
	RemovalProcedure  string `json:"removal_procedure,omitempty"`
	Remedies          string `json:"remedies,omitempty"`
}

// RecordChangeV1 is one entry of a record's change history on the wire
// (RecordV1.History; Art. 44).
type RecordChangeV1 struct {
	Ver    int64     `json:"ver"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

func listingToWire(l *credit.SeriousListing) *SeriousListingV1 {
	if l == nil {
		return nil
	}
	return &SeriousListingV1{Unit: l.Unit, Reasons: l.Reasons, Basis: l.Basis,
		RemovalConditions: l.RemovalConditions, RemovalProcedure: l.RemovalProcedure, Remedies: l.Remedies}
}

func listingFromWire(w *SeriousListingV1) *credit.SeriousListing {
	if w == nil {
		return nil
	}
	return &credit.SeriousListing{Unit: w.Unit, Reasons: w.Reasons, Basis: w.Basis,
		RemovalConditions: w.RemovalConditions, RemovalProcedure: w.RemovalProcedure, Remedies: w.Remedies}
}

func historyToWire(h []credit.RecordChange) []RecordChangeV1 {
	if len(h) == 0 {
		return nil
	}
	out := make([]RecordChangeV1, len(h))
	for i, c := range h {
		out[i] = RecordChangeV1{Ver: c.Version, Reason: string(c.Reason), At: c.At, Note: c.Note}
	}
	return out
}

func historyFromWire(h []RecordChangeV1) []credit.RecordChange {
	if len(h) == 0 {
		return nil
	}
	out := make([]credit.RecordChange, len(h))
	for i, c := range h {
		out[i] = credit.RecordChange{Version: c.Ver, Reason: credit.ChangeReason(c.Reason), At: c.At, Note: c.Note}
	}
	return out
}

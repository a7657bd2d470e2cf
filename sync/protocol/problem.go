package protocol

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Problem codes: stable strings clients may branch on.
const (
	CodeBadRequest          = "bad_request"
	CodeBadCursor           = "bad_cursor"
	CodeInvalidApplication  = "invalid_application"
	CodeIdempotencyMismatch = "idempotency_mismatch" // same uuid, other body (422)
	CodeDigestMismatch      = "digest_mismatch"
	CodeUnauthorized        = "unauthorized"
	CodeNotFound            = "not_found"
	CodeMethodNotAllowed    = "method_not_allowed"
	CodeTooLarge            = "too_large"
	CodeVersionNotSupported = "version_not_supported"
	CodeInternal            = "internal"
	// CodeResyncRequired (410 Gone) tells the client its cursor can no
	// longer be served: it must resync from a snapshot (sync.md §2.4).
	// Problem.Reason says why.
	CodeResyncRequired = "resync_required"
)

// Reasons carried by a resync_required problem.
const (
	ReasonCursorExpired = "cursor_expired" // older than the tombstone horizon
	ReasonEpochChanged  = "epoch_changed"  // server restored or epoch rotated
	ReasonCursorAhead   = "cursor_ahead"   // beyond the server's head: restored from a backup
	ReasonBadCursor     = "bad_cursor"     // does not verify for this device and server
	ReasonSnapshotGone  = "snapshot_gone"  // a snapshot token from another epoch
	ReasonScopeChanged  = "scope_changed"  // the platform changed the device's scope
)

// Problem is an RFC 9457 problem+json error body with a stable code and
// the message in Chinese (Detail) and English (DetailEN).
type Problem struct {
	Type     string `json:"type,omitempty"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Code     string `json:"code"`
	Detail   string `json:"detail,omitempty"`
	DetailEN string `json:"detail_en,omitempty"`
	// Reason refines Code; set on resync_required.
	Reason string `json:"reason,omitempty"`
	// ServerTime is the server clock; set on clock_skew so the client can
	// correct its offset estimate.
	ServerTime *time.Time `json:"server_time,omitempty"`
}

// Error implements error.
func (p *Problem) Error() string {
	return fmt.Sprintf("protocol: %d %s: %s", p.Status, p.Code, p.DetailEN)
}

// Message returns the best human-readable message: English and Chinese
// when both are present.
func (p *Problem) Message() string {
	switch {
	case p.DetailEN != "" && p.Detail != "":
		return p.DetailEN + " / " + p.Detail
	case p.DetailEN != "":
		return p.DetailEN
	case p.Detail != "":
		return p.Detail
	}
	return p.Title
}

// NewProblem builds a problem. The messages come from err when it holds a
// *credit.Error; otherwise title stands in for them (internal details never
// travel to the client).
func NewProblem(status int, code, title string, err error) *Problem {
	p := &Problem{Type: "about:blank", Title: title, Status: status, Code: code}
	if err != nil && credit.ErrorCode(err) != credit.EINTERNAL {
		p.Detail, p.DetailEN = credit.ErrorMessage(err), credit.ErrorMessageEN(err)
	}
	return p
}

// DecodeProblem reads a problem body (at most 64 KiB). A body that is not
// problem JSON yields a problem built from status alone.
func DecodeProblem(status int, r io.Reader) *Problem {
	p := &Problem{}
	b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	if err := json.Unmarshal(b, p); err != nil || p.Code == "" {
		p = &Problem{Title: fmt.Sprintf("HTTP %d", status), Code: CodeInternal}
	}
	p.Status = status
	return p
}

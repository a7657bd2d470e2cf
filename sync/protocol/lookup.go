package protocol

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Online report lookup (reports.md §6 "Online verification"): a device
// registers each report it issued (number, verification code, key id,
// times, type and the masked subject id printed on the paper; never a
// name or a full ID number); anyone holding the paper asks GET
// /verify/v1?no=…&code=… and gets known / unknown / revoked.
const (
	// PathReports + {report_no}: PUT by a signed device request.
	PathReports = PathPrefix + "/reports/"
	// PathVerify is the public lookup: GET ?no=&code=, POST the QR text.
	PathVerify = "/verify/v1"
)

// Lookup answers of GET /verify/v1.
const (
	LookupKnown   = "known"
	LookupUnknown = "unknown"
	LookupRevoked = "revoked"
)

// CodeRateLimited answers a client that asked too often, CodeNoTrustList
// a verification before any trust list was published. A report number
// registered again with other data gets CodeConflict (409).
const (
	CodeRateLimited = "rate_limited"
	CodeNoTrustList = "no_trust_list"
)

// ReportRecordV1 is the body of PUT /sync/v1/reports/{report_no}.
type ReportRecordV1 struct {
	Code             string    `json:"code"`               // 8-char Crockford Base32 核验码
	KID              string    `json:"kid"`                // 16 hex digits
	IssuedAt         time.Time `json:"iat"`                //
	Expires          time.Time `json:"exp"`                //
	ReportType       int       `json:"report_type"`        // report.ReportType
	SubjectIDDisplay string    `json:"subject_id_display"` // masked, as printed
}

// MaxReportRecordBytes caps the PUT body.
const MaxReportRecordBytes = 4 << 10

var (
	reportNoRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,23}$`)
	codeRE     = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{8}$`)
	kidRE      = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// ValidReportNo reports whether s looks like a report or application
// number (ASCII letters, digits, ".", "_" and "-"; at most 24).
func ValidReportNo(s string) bool { return reportNoRE.MatchString(s) }

// NormalizeCode upper-cases a typed verification code and maps the
// Crockford look-alikes (I, L → 1; O → 0); ok is false when it is not 8
// Crockford characters.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("I", "1", "L", "1", "O", "0", "-", "", " ", "").Replace(s)
	return s, codeRE.MatchString(s)
}

// Validate checks a record; personal data beyond the masked id is refused
// by construction (there is no field for it), and an unmasked 18-char
// natural-person id is refused here.
func (r ReportRecordV1) Validate() error {
	switch {
	case !codeRE.MatchString(r.Code):
		return fmt.Errorf("code %q is not 8 Crockford Base32 characters", r.Code)
	case !kidRE.MatchString(r.KID):
		return fmt.Errorf("kid %q is not 16 lower-case hex digits", r.KID)
	case r.IssuedAt.IsZero() || r.Expires.IsZero() || r.Expires.Before(r.IssuedAt):
		return fmt.Errorf("iat and exp must be set, exp not before iat")
	case r.ReportType < 1 || r.ReportType > 255:
		return fmt.Errorf("report_type %d out of range", r.ReportType)
	case r.SubjectIDDisplay == "" || len(r.SubjectIDDisplay) > 32 || !utf8.ValidString(r.SubjectIDDisplay):
		return fmt.Errorf("subject_id_display must be 1–32 bytes of UTF-8")
	case r.ReportType != 1 && !strings.Contains(r.SubjectIDDisplay, "*"):
		return fmt.Errorf("subject_id_display of a natural person must be masked")
	}
	return nil
}

// LookupV1 answers GET /verify/v1. Only a known or revoked answer carries
// the summary, and only what is printed on the paper.
type LookupV1 struct {
	Status           string     `json:"status"` // known | unknown | revoked
	MessageZH        string     `json:"message_zh"`
	MessageEN        string     `json:"message_en"`
	ReportNo         string     `json:"report_no,omitempty"`
	ReportType       int        `json:"report_type,omitempty"`
	SubjectIDDisplay string     `json:"subject_id_display,omitempty"`
	IssuedAt         *time.Time `json:"iat,omitempty"`
	Expires          *time.Time `json:"exp,omitempty"`
	Office           string     `json:"office,omitempty"`
	OfficeCode       string     `json:"office_code,omitempty"`
}

// VerifyV1 answers POST /verify/v1: the §7.4 outcome of app/report.Verify
// against the platform's trust list, and the registry's answer for the
// report number and code the QR carries.
type VerifyV1 struct {
	Status          string    `json:"status"` // report.Status
	ExitCode        int       `json:"exit_code"`
	MessageZH       string    `json:"message_zh"`
	MessageEN       string    `json:"message_en"`
	Detail          string    `json:"detail,omitempty"`
	KID             string    `json:"kid,omitempty"`
	Office          string    `json:"office,omitempty"`
	OfficeCode      string    `json:"office_code,omitempty"`
	Warnings        []string  `json:"warnings,omitempty"`
	TrustListSeq    uint64    `json:"trust_list_seq"`
	TrustListIssued time.Time `json:"trust_list_issued"`
	// Signed fields, set only when the signature verified with a key in
	// good standing.
	ReportNo         string     `json:"report_no,omitempty"`
	ReportType       int        `json:"report_type,omitempty"`
	SubjectName      string     `json:"subject_name,omitempty"`
	SubjectIDDisplay string     `json:"subject_id_display,omitempty"`
	IssuedAt         *time.Time `json:"iat,omitempty"`
	Expires          *time.Time `json:"exp,omitempty"`
	Pages            int        `json:"pages,omitempty"`
	Code             string     `json:"code,omitempty"`
	// Registry is the lookup answer for ReportNo and Code (known, unknown,
	// revoked); "unknown" for a valid signature is the sign of a key used
	// outside its kiosk.
	Registry string `json:"registry,omitempty"`
}

// TypeTrustList is the change type carrying the platform's current signed
// trust list; the put's id is TrustListID, its ver the list's seq and its
// d the signed bytes as a base64 JSON string.
const (
	TypeTrustList = "trust_list"
	TrustListID   = "current"
)

// TrustListData encodes signed trust-list bytes as a change's d.
func TrustListData(signed []byte) json.RawMessage {
	b, _ := json.Marshal(base64.StdEncoding.EncodeToString(signed))
	return b
}

// ParseTrustListData decodes a trust_list change's d to the signed bytes
// (to be checked with app/report.LoadTrustList; nothing here trusts them).
func ParseTrustListData(d json.RawMessage) ([]byte, error) {
	var s string
	if err := json.Unmarshal(d, &s); err != nil {
		return nil, fmt.Errorf("protocol: trust list data: %w", err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("protocol: trust list data: %w", err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("protocol: trust list data is empty")
	}
	return b, nil
}

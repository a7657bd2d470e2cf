package report

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// SchemaVersion is the version of the claim set this package writes and
// the only one it accepts.
const SchemaVersion = 1

// ReportType says whose report it is (§7.1 key 4).
type ReportType uint8

// Report types.
const (
	LegalPersonReport   ReportType = 1 // 法人和非法人组织公共信用信息报告
	NaturalPersonReport ReportType = 2 // 自然人公共信用信息报告
	// ReceiptType marks an application receipt (受理回执) for an objection
	// or a restoration application. Its claims reuse the report keys:
	// report_id is the application number, subject name and ID are
	// masked, content_digest covers the receipt data (Receipt.
	// ContentDigest), and summary is [kind (1 objection, 2 restoration),
	// received_at, first due date, second due date] in Unix seconds.
	ReceiptType ReportType = 4
)

// Label returns the report type's Chinese and English names.
func (t ReportType) Label() (zh, en string) {
	switch t {
	case LegalPersonReport:
		return "法人和非法人组织公共信用信息报告", "legal person report"
	case NaturalPersonReport:
		return "自然人公共信用信息报告", "natural person report"
	case ReceiptType:
		return "申请受理回执", "application receipt"
	}
	return "未知类型", "unknown type"
}

// Claim keys (§7.1).
const (
	keySchema = iota
	keyReportID
	keyIAT
	keyEXP
	keyType
	keySubjectName
	keySubjectID
	keyDigest
	keySummary
	keyPages
	keyOfficeCode // optional
)

// Limits on decoded claims.
const (
	maxReportIDLen  = 24
	maxNameBytes    = 300
	maxIDDisplayLen = 32
	maxSummaryLen   = 16
	maxOfficeLen    = 64
)

// Claims is the signed content of a report's QR code (§7.1): enough for a
// checker to compare against the paper, and a digest of all printed data.
type Claims struct {
	ReportID         string     // 报告编号
	IssuedAt         time.Time  // iat, whole seconds
	Expires          time.Time  // exp, whole seconds
	Type             ReportType // 1 legal person, 2 natural person
	SubjectName      string     // as printed
	SubjectIDDisplay string     // masked ID number or full USCC, as printed
	ContentDigest    [32]byte   // SHA-256 of the canonical report data
	Summary          []uint64   // record counts per credit.Categories
	Pages            int        // total page count
	OfficeCode       string     // optional
}

// marshal encodes c as deterministic CBOR.
func (c Claims) marshal() []byte {
	n := 10
	if c.OfficeCode != "" {
		n++
	}
	var e cborEnc
	e.mapHead(n)
	e.uint(keySchema)
	e.uint(SchemaVersion)
	e.uint(keyReportID)
	e.text(c.ReportID)
	e.uint(keyIAT)
	e.uint(uint64(max(c.IssuedAt.Unix(), 0)))
	e.uint(keyEXP)
	e.uint(uint64(max(c.Expires.Unix(), 0)))
	e.uint(keyType)
	e.uint(uint64(c.Type))
	e.uint(keySubjectName)
	e.text(c.SubjectName)
	e.uint(keySubjectID)
	e.text(c.SubjectIDDisplay)
	e.uint(keyDigest)
	e.bytes(c.ContentDigest[:])
	e.uint(keySummary)
	e.array(len(c.Summary))
	for _, s := range c.Summary {
		e.uint(s)
	}
	e.uint(keyPages)
	e.uint(uint64(max(c.Pages, 0)))
	if c.OfficeCode != "" {
		e.uint(keyOfficeCode)
		e.text(c.OfficeCode)
	}
	return e.b
}

// validate checks what Sign refuses to sign and Verify refuses to accept.
func (c Claims) validate() error {
	switch {
	case c.ReportID == "" || len(c.ReportID) > maxReportIDLen || !isPrintableASCII(c.ReportID):
		return fmt.Errorf("report_id %q must be 1-%d printable ASCII characters", c.ReportID, maxReportIDLen)
	case c.IssuedAt.Unix() <= 0:
		return fmt.Errorf("iat %d is not after 1970", c.IssuedAt.Unix())
	case !c.Expires.After(c.IssuedAt):
		return fmt.Errorf("exp %d is not after iat %d", c.Expires.Unix(), c.IssuedAt.Unix())
	case c.Type != LegalPersonReport && c.Type != NaturalPersonReport && c.Type != ReceiptType:
		return fmt.Errorf("report_type %d is unknown", c.Type)
	case c.Type == ReceiptType && !validReceiptSummary(c.Summary):
		return fmt.Errorf("a receipt's summary must be [kind 1|2, received_at, due, due]")
	case c.SubjectName == "" || len(c.SubjectName) > maxNameBytes || !utf8.ValidString(c.SubjectName):
		return fmt.Errorf("subject_name must be 1-%d bytes of UTF-8", maxNameBytes)
	case c.SubjectIDDisplay == "" || len(c.SubjectIDDisplay) > maxIDDisplayLen || !isPrintableASCII(c.SubjectIDDisplay):
		return fmt.Errorf("subject_id_display must be 1-%d printable ASCII characters", maxIDDisplayLen)
	case len(c.Summary) > maxSummaryLen:
		return fmt.Errorf("summary has %d entries, at most %d", len(c.Summary), maxSummaryLen)
	case c.Pages < 1 || c.Pages > 9999:
		return fmt.Errorf("pages %d out of range 1-9999", c.Pages)
	case len(c.OfficeCode) > maxOfficeLen || !utf8.ValidString(c.OfficeCode):
		return fmt.Errorf("office_code longer than %d bytes or not UTF-8", maxOfficeLen)
	}
	return nil
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

// unmarshalClaims decodes and validates a schema 1 claim set. Unknown keys,
// missing keys and wrong types are errors.
func unmarshalClaims(b []byte) (Claims, error) {
	v, err := cborDecode(b)
	if err != nil {
		return Claims{}, err
	}
	m, ok := v.(cborMap)
	if !ok {
		return Claims{}, fmt.Errorf("claims are not a map")
	}
	for _, p := range m {
		k, ok := p.k.(uint64)
		if !ok || k > keyOfficeCode {
			return Claims{}, fmt.Errorf("unknown claim key %v", p.k)
		}
	}
	var c Claims
	if s, err := claimUint(m, keySchema); err != nil {
		return Claims{}, err
	} else if s != SchemaVersion {
		return Claims{}, fmt.Errorf("unknown schema version %d", s)
	}
	if c.ReportID, err = claimText(m, keyReportID); err != nil {
		return Claims{}, err
	}
	iat, err := claimUint(m, keyIAT)
	if err != nil {
		return Claims{}, err
	}
	exp, err := claimUint(m, keyEXP)
	if err != nil {
		return Claims{}, err
	}
	const maxUnix = 1 << 40 // far beyond any real date, keeps time.Unix sane
	if iat > maxUnix || exp > maxUnix {
		return Claims{}, fmt.Errorf("iat or exp out of range")
	}
	c.IssuedAt, c.Expires = time.Unix(int64(iat), 0).UTC(), time.Unix(int64(exp), 0).UTC()
	t, err := claimUint(m, keyType)
	if err != nil {
		return Claims{}, err
	}
	if t > 255 {
		return Claims{}, fmt.Errorf("report_type %d is unknown", t)
	}
	c.Type = ReportType(t)
	if c.SubjectName, err = claimText(m, keySubjectName); err != nil {
		return Claims{}, err
	}
	if c.SubjectIDDisplay, err = claimText(m, keySubjectID); err != nil {
		return Claims{}, err
	}
	dv, ok := m.int(keyDigest)
	if d, isBytes := dv.([]byte); !ok || !isBytes || len(d) != 32 {
		return Claims{}, fmt.Errorf("content_digest missing or not 32 bytes")
	} else {
		copy(c.ContentDigest[:], d)
	}
	sv, ok := m.int(keySummary)
	arr, isArr := sv.([]any)
	if !ok || !isArr {
		return Claims{}, fmt.Errorf("summary missing or not an array")
	}
	for _, x := range arr {
		n, ok := x.(uint64)
		if !ok {
			return Claims{}, fmt.Errorf("summary entry is not an unsigned integer")
		}
		c.Summary = append(c.Summary, n)
	}
	pages, err := claimUint(m, keyPages)
	if err != nil {
		return Claims{}, err
	}
	if pages > 9999 {
		return Claims{}, fmt.Errorf("pages %d out of range", pages)
	}
	c.Pages = int(pages)
	if _, present := m.int(keyOfficeCode); present {
		if c.OfficeCode, err = claimText(m, keyOfficeCode); err != nil {
			return Claims{}, err
		}
		if c.OfficeCode == "" {
			return Claims{}, fmt.Errorf("office_code present but empty")
		}
	}
	if err := c.validate(); err != nil {
		return Claims{}, err
	}
	return c, nil
}

func claimUint(m cborMap, k int64) (uint64, error) {
	v, ok := m.int(k)
	n, isUint := v.(uint64)
	if !ok || !isUint {
		return 0, fmt.Errorf("claim %d missing or not an unsigned integer", k)
	}
	return n, nil
}

func claimText(m cborMap, k int64) (string, error) {
	v, ok := m.int(k)
	s, isText := v.(string)
	if !ok || !isText {
		return "", fmt.Errorf("claim %d missing or not a text string", k)
	}
	return s, nil
}

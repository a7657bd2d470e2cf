package report

import (
	"crypto/sha256"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Report is everything one printed public credit information report shows.
type Report struct {
	Subject   credit.Subject
	Records   []credit.Record
	Inquiries []credit.Inquiry
	DataAsOf  time.Time // server time of the last complete sync; zero if never
	Stale     bool      // the cache is older than policy allows
	IssuedAt  time.Time
	ReportNo  string // see MakeReportNo
	Office    string // issuing office, printed
}

// MakeReportNo builds a report number
// <6-digit region><2-char device>-<yyyymmdd>-<6-digit serial>, e.g.
// 620102K1-20260115-000042. The date is taken in China time.
func MakeReportNo(region, device string, date time.Time, serial int) (string, error) {
	if !isDigits(region, 6) {
		return "", credit.Errorf(credit.EINVALID, "行政区划代码须为6位数字。", "The region code %q must be 6 digits.", region)
	}
	if len(device) != 2 || !isUpperAlnum(device) {
		return "", credit.Errorf(credit.EINVALID, "设备代码须为2位大写字母或数字。", "The device code %q must be 2 upper-case letters or digits.", device)
	}
	if serial < 0 || serial > 999999 {
		return "", credit.Errorf(credit.EINVALID, "报告流水号超出范围。", "The report serial %d is outside 0-999999.", serial)
	}
	return fmt.Sprintf("%s%s-%s-%06d", region, device, date.In(credit.China).Format("20060102"), serial), nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Type is the report type for the subject's kind.
func (r Report) Type() ReportType {
	if r.Subject.IsPerson() {
		return NaturalPersonReport
	}
	return LegalPersonReport
}

// Summary counts the records per category, in credit.Categories order.
func (r Report) Summary() []uint64 {
	out := make([]uint64, len(credit.Categories))
	for _, rec := range r.Records {
		for i, c := range credit.Categories {
			if rec.Category == c {
				out[i]++
			}
		}
	}
	return out
}

// ContentDigest is the SHA-256 of the canonical report data: a
// deterministic CBOR array of the report number, subject, every record and
// every inquiry shown, and the data-as-of time. It does not depend on the
// PDF bytes, so anyone holding the data can recompute it.
func (r Report) ContentDigest() [32]byte {
	var e cborEnc
	e.array(6)
	e.uint(SchemaVersion)
	e.text(r.ReportNo)
	e.array(4)
	e.text(string(r.Subject.Kind))
	e.text(r.Subject.ID)
	e.text(r.Subject.Name)
	e.text(r.Subject.Region)
	e.array(len(r.Records))
	for _, rec := range r.Records {
		e.array(11)
		e.text(rec.ID)
		e.text(string(rec.Category))
		e.text(rec.Title)
		e.text(rec.Content)
		e.text(rec.SourceUnit)
		e.text(rec.DocumentNo)
		e.text(rec.LegalBasis)
		e.int(unixOrZero(rec.DecisionDate))
		e.int(unixOrZero(rec.PublicityUntil))
		e.text(string(rec.Tier))
		e.uint(boolUint(rec.UnderObjection))
	}
	e.array(len(r.Inquiries))
	for _, q := range r.Inquiries {
		e.array(5)
		e.text(string(q.InquirerKind))
		e.text(q.InquirerID)
		e.text(q.Purpose)
		e.text(q.Channel)
		e.int(unixOrZero(q.At))
	}
	e.int(unixOrZero(r.DataAsOf))
	return sha256.Sum256(e.b)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func boolUint(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// Claims builds the claim set for this report printed on pages pages and
// valid for validity from IssuedAt.
func (r Report) Claims(pages int, validity time.Duration) Claims {
	return Claims{
		ReportID:         r.ReportNo,
		IssuedAt:         r.IssuedAt,
		Expires:          r.IssuedAt.Add(validity),
		Type:             r.Type(),
		SubjectName:      r.Subject.Name,
		SubjectIDDisplay: r.Subject.MaskedID(),
		ContentDigest:    r.ContentDigest(),
		Summary:          r.Summary(),
		Pages:            pages,
	}
}

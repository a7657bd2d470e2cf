package credit

import (
	"log/slog"
	"strings"
)

// SubjectKind tells natural persons from legal persons and other
// organisations; the law protects the first far more (Art. 23).
type SubjectKind string

// Subject kinds.
const (
	NaturalPerson SubjectKind = "natural_person"
	LegalPerson   SubjectKind = "legal_person"
)

// Subject is a natural person (identified by a resident ID number) or a legal
// person or organisation (identified by a USCC).
type Subject struct {
	ID      string      `json:"id"` // 18-char ID number or USCC, normalised
	Kind    SubjectKind `json:"kind"`
	Name    string      `json:"name"`
	Region  string      `json:"region"` // 6-digit administrative division code
	Version int64       `json:"ver"`
}

// IsPerson reports whether the subject is a natural person.
func (s Subject) IsPerson() bool { return s.Kind == NaturalPerson }

// MaskedID is the identifier as shown to anyone but the holder: masked for
// natural persons, in full for organisations (their codes are public).
func (s Subject) MaskedID() string {
	if s.IsPerson() {
		return IDNumber(s.ID).Masked()
	}
	return s.ID
}

// MaskedName is the name as shown to anyone but the holder.
func (s Subject) MaskedName() string {
	if s.IsPerson() {
		return MaskName(s.Name)
	}
	return s.Name
}

// LogValue keeps a natural person's name and number out of logs.
func (s Subject) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.MaskedID()), slog.String("name", s.MaskedName()), slog.String("kind", string(s.Kind)))
}

// Validate checks the identifier against the kind and that a name is present.
func (s Subject) Validate() error {
	switch s.Kind {
	case NaturalPerson:
		if _, err := ParseIDNumber(s.ID); err != nil {
			return err
		}
	case LegalPerson:
		if _, err := ParseUSCC(s.ID); err != nil {
			return err
		}
	default:
		return Errorf(EINVALID, "未知的主体类型。", "Unknown subject kind %q.", s.Kind)
	}
	if strings.TrimSpace(s.Name) == "" {
		return Errorf(EINVALID, "主体名称不能为空。", "The subject's name is empty.")
	}
	return nil
}

// ParseSubjectID recognises a resident ID number or a USCC and returns it
// normalised with its kind. The error explains why neither fits.
func ParseSubjectID(s string) (string, SubjectKind, error) {
	n := normaliseASCII(s)
	isDigits := len(n) == 18
	for i := 0; isDigits && i < 17; i++ {
		isDigits = n[i] >= '0' && n[i] <= '9'
	}
	// A valid USCC may also be all digits; try the ID number first only
	// when its birth-date field looks like one.
	if isDigits && (n[6:8] == "19" || n[6:8] == "20" || n[6:8] == "18") {
		if id, err := ParseIDNumber(n); err == nil {
			return string(id), NaturalPerson, nil
		}
	}
	if c, err := ParseUSCC(n); err == nil {
		return string(c), LegalPerson, nil
	}
	if isDigits {
		_, err := ParseIDNumber(n)
		return "", "", err
	}
	_, err := ParseUSCC(n)
	return "", "", err
}

// MaskName keeps the first character of a personal name: 张三丰 → 张**.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", max(len(r)-1, 1))
}

// PersonName is a natural person's name that masks itself in logs.
type PersonName string

// LogValue masks the name.
func (n PersonName) LogValue() slog.Value { return slog.StringValue(MaskName(string(n))) }

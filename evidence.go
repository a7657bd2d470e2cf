package credit

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Evidence limits (Art. 18 and data minimisation: documents only).
const (
	MaxEvidenceBytes    = 10 << 20 // per file
	MaxEvidencePerApp   = 5        // files per application
	maxEvidenceNameRune = 120
)

// EvidenceType is the document type of an attached file, recognised by
// its content (magic bytes), never by its name.
type EvidenceType string

// Accepted evidence types.
const (
	EvidencePDF  EvidenceType = "application/pdf"
	EvidenceJPEG EvidenceType = "image/jpeg"
	EvidencePNG  EvidenceType = "image/png"
)

// Evidence is one file attached to an application. Its content is kept
// under its SHA-256 (content-addressed); the same file attached twice to
// one application is one attachment.
type Evidence struct {
	ApplicationID string
	SHA256        string // lowercase hex of the content
	Name          string // file name as given, for the list
	Type          EvidenceType
	Size          int64
	AddedAt       time.Time
}

// SniffEvidence recognises a PDF, JPEG or PNG by its first bytes. Anything
// else fails with EINVALID and a message that says what is accepted.
func SniffEvidence(data []byte) (EvidenceType, error) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return EvidencePDF, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return EvidenceJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return EvidencePNG, nil
	}
	return "", Errorf(EINVALID, "只能附加 PDF、JPEG 或 PNG 格式的证明材料（按文件内容识别，不看扩展名）。",
		"Only PDF, JPEG or PNG documents can be attached (recognised by content, not by the file name).")
}

// CheckEvidence checks a file to attach: a document type by content, not
// empty, at most MaxEvidenceBytes. It returns the recognised type.
func CheckEvidence(name string, data []byte) (EvidenceType, error) {
	if len(data) == 0 {
		return "", Errorf(EINVALID, "文件是空的。", "The file is empty.")
	}
	if len(data) > MaxEvidenceBytes {
		return "", Errorf(EINVALID, "每个文件不能超过 %d MB。", "Each file may be at most %d MB.", MaxEvidenceBytes>>20)
	}
	if strings.TrimSpace(name) == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxEvidenceNameRune {
		return "", Errorf(EINVALID, "文件名无效（不超过%d个字）。", "The file name is invalid (at most %d characters).", maxEvidenceNameRune)
	}
	return SniffEvidence(data)
}

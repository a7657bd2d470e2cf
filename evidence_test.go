package credit

import (
	"bytes"
	"testing"
)

func TestCheckEvidence(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       EvidenceType
		code       string
	}{
		{"pdf", "决定书.pdf", []byte("%PDF-1.7\n..."), EvidencePDF, ""},
		{"jpeg", "receipt.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, EvidenceJPEG, ""},
		{"png", "scan.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), EvidencePNG, ""},
		{"pdf named .png", "scan.png", []byte("%PDF-1.4"), EvidencePDF, ""},
		{"exe named .pdf", "x.pdf", []byte("MZ\x90\x00"), "", EINVALID},
		{"docx (zip)", "letter.docx", []byte("PK\x03\x04"), "", EINVALID},
		{"gif", "a.gif", []byte("GIF89a"), "", EINVALID},
		{"empty", "a.pdf", nil, "", EINVALID},
		{"too big", "a.pdf", append([]byte("%PDF-"), make([]byte, MaxEvidenceBytes)...), "", EINVALID},
		{"no name", " ", []byte("%PDF-"), "", EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckEvidence(tt.file, tt.data)
			if got != tt.want || ErrorCode(err) != tt.code {
				t.Fatalf("CheckEvidence = %q, %v; want %q, %q", got, err, tt.want, tt.code)
			}
		})
	}
}

func FuzzSniffEvidence(f *testing.F) {
	for _, s := range []string{"%PDF-1.7", "\xFF\xD8\xFF", "\x89PNG\r\n\x1a\n", "MZ", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, err := SniffEvidence(data)
		if (err == nil) == (typ == "") {
			t.Fatalf("SniffEvidence = %q, %v", typ, err)
		}
		ok := bytes.HasPrefix(data, []byte("%PDF-")) || bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) || bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
		if ok != (err == nil) {
			t.Fatalf("accepted %v for %q", err == nil, data)
		}
	})
}

func TestArt18Match(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"blood_type", "blood"},
		{"bloodType", "blood"},
		{"FacePhoto", "face"},
		{"religion", "religion"},
		{"genetic_marker", "genetic"},
		{"medical_history", "medical"},
		{"fingerprint_hash", "fingerprint"},
		{"持证人照片", "照片"},
		{"宗教信仰", "宗教"},
		{"病史", "病史"},
		{"surface", ""},   // "face" only as a word
		{"interface", ""}, // idem
		{"general", ""},   // not "gene"
		{"subject_id", ""},
		{"statement", ""},
		{"异议理由", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Art18Match(tt.name)
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("Art18Match(%q) = %q, %v; want %q", tt.name, got, ok, tt.want)
			}
		})
	}
}

func TestPurposeLabel(t *testing.T) {
	for _, tt := range []struct{ p, zh string }{
		{PurposeIntake, "受理异议或信用修复申请"},
		{PurposeSelf, "本人查询"},
		{string(PurposeTalent), "人才引进"},
		{"unknown", "unknown"},
	} {
		if zh, en := PurposeLabel(tt.p); zh != tt.zh || en == "" {
			t.Errorf("PurposeLabel(%q) = %q, %q", tt.p, zh, en)
		}
	}
	if InquiryPurpose(PurposeIntake).Valid() {
		t.Error("the intake purpose passes as an Art. 25 purpose")
	}
}

package store_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10}, "JFIF unique-evidence-marker-7f3a"...)
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
)

func TestRecordIntake(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	ctx := t.Context()
	o := newObjection(demoPenalty(t, db).ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	in := credit.Intake{ApplicationID: o.ID, Kind: credit.KindObjection, ClerkID: "C001", Role: credit.ApplicantAgent, AuthRef: "WT-7", At: fixedNow}
	if err := db.RecordIntake(ctx, in); err != nil {
		t.Fatal(err)
	}
	// A second note for the same application does not replace the first.
	again := in
	again.ClerkID = "C002"
	if err := db.RecordIntake(ctx, again); err != nil {
		t.Fatal(err)
	}
	got, err := db.Intake(ctx, o.ID)
	if err != nil || got != in {
		t.Fatalf("Intake = %+v, %v; want %+v", got, err, in)
	}
	if _, err := db.Intake(ctx, credit.NewUUID()); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown application: %v", err)
	}
	bad := in
	bad.Role = "cousin"
	if err := db.RecordIntake(ctx, bad); credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("bad role: %v", err)
	}
}

func TestEvidence(t *testing.T) {
	db, _ := openSynth(t, 1, 10)
	path := db.Path()
	ctx := t.Context()
	o := newObjection(demoPenalty(t, db).ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	add := func(name string, data []byte) (credit.Evidence, error) {
		return db.AddEvidence(ctx, credit.Evidence{ApplicationID: o.ID, Name: name}, data)
	}
	tests := []struct {
		name string
		data []byte
		typ  credit.EvidenceType
		code string
	}{
		{"决定书.pdf", pdf, credit.EvidencePDF, ""},
		{"receipt.jpg", jpeg, credit.EvidenceJPEG, ""},
		{"scan.pdf", png, credit.EvidencePNG, ""},  // the content decides, not the name
		{"again.pdf", pdf, credit.EvidencePDF, ""}, // same bytes: no-op
		{"virus.pdf", []byte("MZ\x90\x00"), "", credit.EINVALID},
		{"big.pdf", append(bytes.Clone(pdf), make([]byte, credit.MaxEvidenceBytes)...), "", credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := add(tt.name, tt.data)
			if credit.ErrorCode(err) != tt.code || e.Type != tt.typ {
				t.Fatalf("AddEvidence = %+v, %v", e, err)
			}
		})
	}
	list, err := db.EvidenceOf(ctx, o.ID)
	if err != nil || len(list) != 3 || list[0].Name != "决定书.pdf" || list[0].Size != int64(len(pdf)) || len(list[0].SHA256) != 64 {
		t.Fatalf("EvidenceOf = %+v, %v", list, err)
	}
	if b, err := db.EvidenceContent(ctx, list[1].SHA256); err != nil || !bytes.Equal(b, jpeg) {
		t.Fatalf("content = %q, %v", b, err)
	}
	// Two more fit; the sixth is refused.
	if _, err := add("4.pdf", append(bytes.Clone(pdf), '4')); err != nil {
		t.Fatal(err)
	}
	if _, err := add("5.pdf", append(bytes.Clone(pdf), '5')); err != nil {
		t.Fatal(err)
	}
	if _, err := add("6.pdf", append(bytes.Clone(pdf), '6')); credit.ErrorCode(err) != credit.EINVALID || !strings.Contains(credit.ErrorMessage(err), "最多") {
		t.Fatalf("sixth file: %v", err)
	}
	if _, err := db.AddEvidence(ctx, credit.Evidence{ApplicationID: credit.NewUUID(), Name: "a.pdf"}, pdf); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown application: %v", err)
	}

	// A second application shares the PDF's content; erasing the first
	// keeps it for the second and removes the rest from the file.
	r := credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: o.RecordID, Performance: "罚款已缴清", Committed: true, Channel: "office-1", ReceivedAt: fixedNow})
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEvidence(ctx, credit.Evidence{ApplicationID: r.ID, Name: "same.pdf"}, pdf); err != nil {
		t.Fatal(err)
	}
	if n, err := db.EraseEvidence(ctx, o.ID); err != nil || n != 5 {
		t.Fatalf("EraseEvidence = %d, %v", n, err)
	}
	if list, _ := db.EvidenceOf(ctx, o.ID); len(list) != 0 {
		t.Fatalf("left after erase: %+v", list)
	}
	if list, _ := db.EvidenceOf(ctx, r.ID); len(list) != 1 {
		t.Fatalf("the other application's evidence: %+v", list)
	}
	if _, err := db.EvidenceContent(ctx, list[1].SHA256); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("erased content still there: %v", err)
	}
	db.Close()
	assertNotInFile(t, path, jpeg)
}

// assertNotInFile checks that the bytes are gone from the closed
// database's file and WAL (secure_delete overwrites freed content).
func assertNotInFile(t *testing.T, path string, b []byte) {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		raw, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, b) {
			t.Fatalf("erased evidence still in %s", p)
		}
	}
}

func TestSettings(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	if _, err := db.Setting(ctx, "county"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unset: %v", err)
	}
	for _, v := range []string{"620102", "620103"} {
		if err := db.SetSetting(ctx, "county", v, "S001"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetSetting(ctx, "printer", "EPSON", "C001"); err != nil {
		t.Fatal(err)
	}
	if v, err := db.Setting(ctx, "county"); err != nil || v != "620103" {
		t.Fatalf("county = %q, %v", v, err)
	}
	all, err := db.Settings(ctx)
	if err != nil || len(all) != 2 || all["printer"] != "EPSON" {
		t.Fatalf("Settings = %v, %v", all, err)
	}
	if err := db.SetSetting(ctx, "", "x", "C001"); credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("empty key: %v", err)
	}
}

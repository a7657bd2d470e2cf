package protocol

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestNormalizeCode(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		ok      bool
	}{
		{"7K3M9QZX", "7K3M9QZX", true},
		{" 7k3m-9qzx ", "7K3M9QZX", true},
		{"OIL00000", "01100000", true},
		{"7K3M9QZ", "7K3M9QZ", false},
		{"7K3M9QZU", "7K3M9QZU", false},
		{"", "", false},
	} {
		if out, ok := NormalizeCode(tc.in); out != tc.out || ok != tc.ok {
			t.Errorf("%q: %q %v", tc.in, out, ok)
		}
	}
}

func TestReportRecordValidate(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	ok := ReportRecordV1{Code: "7K3M9QZX", KID: "0123456789abcdef", IssuedAt: at, Expires: at.Add(time.Hour), ReportType: 2, SubjectIDDisplay: "6201**********123X"}
	mod := func(f func(*ReportRecordV1)) ReportRecordV1 { r := ok; f(&r); return r }
	for _, tc := range []struct {
		name  string
		r     ReportRecordV1
		valid bool
	}{
		{"ok", ok, true},
		{"legal person, full USCC", mod(func(r *ReportRecordV1) { r.ReportType = 1; r.SubjectIDDisplay = "91620102MA73XXXX1X" }), true},
		{"natural person unmasked", mod(func(r *ReportRecordV1) { r.SubjectIDDisplay = "620102199001011234" }), false},
		{"bad code", mod(func(r *ReportRecordV1) { r.Code = "7K3M9QZ!" }), false},
		{"bad kid", mod(func(r *ReportRecordV1) { r.KID = "0123" }), false},
		{"exp before iat", mod(func(r *ReportRecordV1) { r.Expires = at.Add(-time.Second) }), false},
		{"no type", mod(func(r *ReportRecordV1) { r.ReportType = 0 }), false},
		{"long id", mod(func(r *ReportRecordV1) { r.SubjectIDDisplay = string(bytes.Repeat([]byte("*"), 33)) }), false},
	} {
		if err := tc.r.Validate(); (err == nil) != tc.valid {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestTrustListDataRoundTrip(t *testing.T) {
	in := []byte{0x83, 0x40, 0x00, 0xff}
	out, err := ParseTrustListData(TrustListData(in))
	if err != nil || !bytes.Equal(in, out) {
		t.Fatalf("%x %v", out, err)
	}
	for _, bad := range []string{`""`, `"!!"`, `42`, `{"a":1}`, ``} {
		if _, err := ParseTrustListData(json.RawMessage(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func FuzzLookupParsers(f *testing.F) {
	f.Add("7K3M9QZX", "620102K1-20261127-000001", []byte(`"gwBA"`))
	f.Add(" o-il ", "", []byte(`{"code":"x"}`))
	f.Fuzz(func(t *testing.T, code, no string, d []byte) {
		if out, ok := NormalizeCode(code); ok {
			if again, ok2 := NormalizeCode(out); !ok2 || again != out {
				t.Fatalf("not idempotent: %q → %q → %q", code, out, again)
			}
		}
		if ValidReportNo(no) && (len(no) > 24 || no == "") {
			t.Fatalf("accepted %q", no)
		}
		if b, err := ParseTrustListData(d); err == nil && len(b) == 0 {
			t.Fatal("empty data accepted")
		}
		var r ReportRecordV1
		if json.Unmarshal(d, &r) == nil {
			_ = r.Validate()
		}
	})
}

package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func sampleInquiry() credit.Inquiry {
	return credit.Inquiry{ID: "7d1c2b3a-0000-4000-8000-000000000001", SubjectID: "620102199001011237", InquirerKind: credit.InquirerClerk,
		InquirerID: "clerk-7", Purpose: "administrative_licensing", AuthRef: "AUTH-2026-1", Channel: "office-b",
		At: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}
}

func TestInquiryPageRoundTrip(t *testing.T) {
	q := sampleInquiry()
	in := []credit.Change{{Seq: 4, Op: credit.OpPut, Type: credit.TypeInquiry, ID: q.ID, Version: 1, Inquiry: &q}}
	b, err := EncodePage(in, "CUR", false, asOf)
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePage(bytes.NewReader(b), 0)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	if p.Skipped != 0 || len(p.Changes) != 1 || !reflect.DeepEqual(p.Changes[0], in[0]) {
		t.Fatalf("changes = %+v (skipped %d), want %+v", p.Changes, p.Skipped, in)
	}
	// No name travels: the wire form has exactly the log's fields.
	d, _ := json.Marshal(InquiryToWire(q))
	var fields map[string]any
	_ = json.Unmarshal(d, &fields)
	for k := range fields {
		switch k {
		case "id", "subject_id", "inquirer_kind", "inquirer_id", "purpose", "auth_ref", "channel", "at":
		default:
			t.Errorf("unexpected wire field %q", k)
		}
	}
}

func TestCheckInquiry(t *testing.T) {
	good := InquiryToWire(sampleInquiry())
	tests := []struct {
		name string
		edit func(w *InquiryV1)
		code string // "" = accepted
	}{
		{"clerk with purpose and authorisation", func(*InquiryV1) {}, ""},
		{"self", func(w *InquiryV1) {
			w.InquirerKind, w.InquirerID, w.AuthRef, w.Purpose = "self", "", "", credit.PurposeSelf
		}, ""},
		{"no id", func(w *InquiryV1) { w.ID = "" }, credit.EINVALID},
		{"no subject", func(w *InquiryV1) { w.SubjectID = "" }, credit.EINVALID},
		{"no channel", func(w *InquiryV1) { w.Channel = "" }, credit.EINVALID},
		{"no time", func(w *InquiryV1) { w.At = time.Time{} }, credit.EINVALID},
		{"unknown kind", func(w *InquiryV1) { w.InquirerKind = "neighbour" }, credit.EINVALID},
		{"clerk into a person without authorisation", func(w *InquiryV1) { w.AuthRef = "" }, credit.EUNAUTHORIZED},
		{"public search of a person", func(w *InquiryV1) { w.InquirerKind = "public" }, credit.EUNAUTHORIZED},
		{"oversized id", func(w *InquiryV1) { w.ID = string(bytes.Repeat([]byte("x"), 65)) }, credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good
			tt.edit(&w)
			err := CheckInquiry(w)
			if got := ""; err != nil {
				got = credit.ErrorCode(err)
				if got != tt.code {
					t.Fatalf("CheckInquiry = %v (%s), want %q", err, got, tt.code)
				}
			} else if tt.code != "" {
				t.Fatalf("CheckInquiry accepted %+v, want %s", w, tt.code)
			}
		})
	}
}

// FuzzInquiryBatch: any upload body either fails to decode or yields entries
// that CheckInquiry judges without panicking; accepted ones round-trip.
func FuzzInquiryBatch(f *testing.F) {
	b, _ := json.Marshal(InquiryBatchV1{Inquiries: []InquiryV1{InquiryToWire(sampleInquiry())}})
	f.Add(b)
	f.Add([]byte(`{"inquiries":[{"id":"x","inquirer_kind":"public","at":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"inquiries":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var batch InquiryBatchV1
		if json.Unmarshal(body, &batch) != nil {
			return
		}
		for _, w := range batch.Inquiries {
			if CheckInquiry(w) != nil {
				continue
			}
			back := InquiryToWire(InquiryFromWire(w))
			if back.ID != w.ID || back.SubjectID != w.SubjectID || !back.At.Equal(w.At) {
				t.Fatalf("round trip changed %+v to %+v", w, back)
			}
		}
	})
}

package syncserver

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

var inqPerson = "62010219900307123" + string(credit.IDCheckChar("62010219900307123"))

func wireInquiry(id, channel string, at time.Time) protocol.InquiryV1 {
	return protocol.InquiryV1{ID: id, SubjectID: inqPerson, InquirerKind: "clerk", InquirerID: "C007",
		Purpose: "art25_administrative", AuthRef: "SQ-1", Channel: channel, At: at}
}

// TestPostInquiries: uploads over HTTP are stored once by id and reach
// every device's feed as puts of type inquiry; bad input gets a clear
// problem and stores nothing.
func TestPostInquiries(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "platform.db"), 0)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	a, b := client{t, hs.URL, tokA}, client{t, hs.URL, tokB}
	post := func(c client, body string) (int, []byte) {
		resp, out := c.do("POST", protocol.PathInquiries, []byte(body), map[string]string{"Content-Type": protocol.ContentTypeJSON})
		return resp.StatusCode, out
	}
	batch := func(qs ...protocol.InquiryV1) string {
		out, _ := json.Marshal(protocol.InquiryBatchV1{Inquiries: qs})
		return string(out)
	}
	q1, q2 := wireInquiry("q-1", "kiosk-a", t0), wireInquiry("q-2", "kiosk-a", t0.Add(time.Minute))
	changed := q1
	changed.Purpose = "art25_other"
	public := q2
	public.ID, public.InquirerKind, public.AuthRef = "q-public", "public", ""
	many := make([]protocol.InquiryV1, protocol.MaxInquiryBatch+1)
	for i := range many {
		many[i] = wireInquiry(fmt.Sprintf("m-%d", i), "kiosk-a", t0)
	}
	tests := []struct {
		name     string
		c        client
		body     string
		status   int
		acked    string // ids, comma-separated
		rejected string
		code     string // problem code when not 200
	}{
		{"two entries", a, batch(q1, q2), 200, "q-1,q-2", "", ""},
		{"again: acknowledged, stored once", a, batch(q1, q2), 200, "q-1,q-2", "", ""},
		{"same id, other content", a, batch(changed), 200, "", "q-1", ""},
		{"public search of a person", a, batch(public), 200, "", "q-public", ""},
		{"not JSON", a, "{", 400, "", "", protocol.CodeBadRequest},
		{"too many", a, batch(many...), 413, "", "", protocol.CodeTooLarge},
		{"too big", a, `{"inquiries":[` + strings.Repeat(" ", 300<<10) + `]}`, 413, "", "", protocol.CodeTooLarge},
		{"unauthenticated", client{t, hs.URL, "nope"}, batch(q1), 401, "", "", protocol.CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := post(tt.c, tt.body)
			if status != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", status, tt.status, out)
			}
			if status != 200 {
				if p := problemOf(t, out); p.Code != tt.code || p.Detail == "" {
					t.Fatalf("problem %+v, want code %s with a message", p, tt.code)
				}
				return
			}
			var ack protocol.InquiryAckV1
			if err := json.Unmarshal(out, &ack); err != nil {
				t.Fatal(err)
			}
			var rej []string
			for _, r := range ack.Rejected {
				rej = append(rej, r.ID)
				if r.Reason == "" {
					t.Errorf("refusal of %s has no reason", r.ID)
				}
			}
			if strings.Join(ack.Acked, ",") != tt.acked || strings.Join(rej, ",") != tt.rejected {
				t.Fatalf("acked %v rejected %v, want %q / %q", ack.Acked, rej, tt.acked, tt.rejected)
			}
		})
	}
	held, err := s.InquiriesOf(t.Context(), inqPerson)
	if err != nil || len(held) != 2 || held[0].ID != "q-1" || held[0].Purpose != "art25_administrative" {
		t.Fatalf("platform holds %+v (%v)", held, err)
	}
	// Both devices' feeds carry each entry once.
	for _, c := range []client{a, b} {
		p, status, body := c.page("", 0)
		if status != 200 {
			t.Fatalf("page: %d %s", status, body)
		}
		n := 0
		for _, ch := range p.Changes {
			if ch.Type == credit.TypeInquiry {
				n++
				if ch.Inquiry == nil || ch.Inquiry.SubjectID != inqPerson || ch.Inquiry.Channel != "kiosk-a" {
					t.Errorf("feed entry %+v", ch.Inquiry)
				}
			}
		}
		if n != 2 {
			t.Errorf("%s's feed has %d inquiries, want 2", c.token, n)
		}
	}
}

// TestInquiriesFollowScopes: an inquiry entry reaches only the devices
// whose scope holds its subject, as the subject's records do.
func TestInquiriesFollowScopes(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "platform.db"), 0)
	ctx := t.Context()
	if _, _, err := s.AddDevice(ctx, "kiosk-a", "620102"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddDevice(ctx, "kiosk-b", "6230"); err != nil { // Gannan
		t.Fatal(err)
	}
	if _, err := s.ReceiveInquiries(ctx, "kiosk-a", []protocol.InquiryV1{wireInquiry("q-lz", "kiosk-a", t0)}); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	for _, tt := range []struct {
		c    client
		want int
	}{{client{t, hs.URL, tokA}, 1}, {client{t, hs.URL, tokB}, 0}} {
		p, status, body := tt.c.page("", 0)
		if status != 200 {
			t.Fatalf("page: %d %s", status, body)
		}
		n := 0
		for _, ch := range p.Changes {
			if ch.Type == credit.TypeInquiry {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("%s sees %d inquiries into a Lanzhou subject, want %d", tt.c.token, n, tt.want)
		}
	}
}

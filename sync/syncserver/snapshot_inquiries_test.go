package syncserver

import (
	"slices"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// TestSnapshotCarriesInquiries: a snapshot, paged small so pages straddle
// the phases, holds the inquiry log entries of the subjects in the
// device's scope — from every terminal, made before the snapshot — and no
// others; a subject unknown to the platform goes by the region in its ID.
func TestSnapshotCarriesInquiries(t *testing.T) {
	r := newScopeRig(t)
	ctx := t.Context()
	var inBaiyin string
	for _, s := range r.ds.Subjects {
		if len(s.Region) == 6 && s.Region[:4] == "6204" {
			inBaiyin = s.ID
			break
		}
	}
	if inBaiyin == "" {
		t.Fatal("the dataset has no subject in 6204; the test proves nothing")
	}
	lz := wireInquiry("q-lz", "office-620102", t0) // inqPerson: 620102 by its ID
	by := wireInquiry("q-by", "kiosk-620402", t0)
	by.SubjectID = inBaiyin
	ack, err := r.s.ReceiveInquiries(ctx, "office-620102", []protocol.InquiryV1{lz, by})
	if err != nil || len(ack.Acked) != 2 {
		t.Fatalf("receive: %+v %v", ack, err)
	}
	tests := []struct {
		name string
		c    client
		want []string
	}{
		{"kiosk-a (620102)", r.a, []string{"q-lz"}},
		{"kiosk-b (6204)", r.b, []string{"q-by"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			token, after := "", ""
			for {
				p, code, body := snapshotPage(t, tt.c, token, after, 7)
				if code != 200 {
					t.Fatalf("snapshot: %d %s", code, body)
				}
				for _, ch := range p.Changes {
					if ch.Type == credit.TypeInquiry {
						if ch.Inquiry == nil || ch.Inquiry.ID != ch.ID || ch.Inquiry.Channel == "" {
							t.Fatalf("inquiry line %+v", ch)
						}
						got = append(got, ch.ID)
					}
				}
				token, after = p.Token, p.After
				if !p.More {
					break
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("snapshot inquiries %v, want %v", got, tt.want)
			}
		})
	}
}

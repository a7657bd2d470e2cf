package syncclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// inquiryStore is the fake outbox with an inquiry log behind it.
type inquiryStore struct {
	*fakeStore
	mu       sync.Mutex
	log      []credit.Inquiry
	sent     map[string]bool
	rejected map[string]string
}

var _ InquiryLog = (*inquiryStore)(nil)

func (s *inquiryStore) UnsentInquiries(_ context.Context, limit int) ([]credit.Inquiry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []credit.Inquiry
	for _, q := range s.log {
		if !s.sent[q.ID] && s.rejected[q.ID] == "" && len(out) < limit {
			out = append(out, q)
		}
	}
	return out, nil
}

func (s *inquiryStore) MarkInquiriesSent(_ context.Context, ids []string, rejected map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.sent[id] = true
	}
	for id, r := range rejected {
		s.rejected[id] = r
	}
	return nil
}

func (s *inquiryStore) counts() (sent, rejected int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent), len(s.rejected)
}

// personID is a valid resident ID number (MOD 11-2).
var personID = "62010219900307123" + string(credit.IDCheckChar("62010219900307123"))

func newInquiryStore(n int) *inquiryStore {
	s := &inquiryStore{fakeStore: newFakeStore(), sent: map[string]bool{}, rejected: map[string]string{}}
	for i := range n {
		s.log = append(s.log, credit.Inquiry{ID: fmt.Sprintf("q-%04d", i), SubjectID: personID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: "kiosk-1", At: t0.Add(time.Duration(i) * time.Second)})
	}
	return s
}

func TestUploadInquiries(t *testing.T) {
	tests := []struct {
		name         string
		n            int
		bad          bool                                                            // one entry the platform must refuse
		wrap         func(w http.ResponseWriter, r *http.Request, next http.Handler) // nil: pass through
		sent, refuse int
		onServer     int
	}{
		{name: "three batches", n: 2*inquiryBatch + 5, sent: 2*inquiryBatch + 5, onServer: 2*inquiryBatch + 5},
		{name: "a refused entry is not sent again", n: 3, bad: true, sent: 3, refuse: 1, onServer: 3},
		{name: "platform down: nothing marked", n: 3, wrap: only(protocolPathInquiries, http.StatusServiceUnavailable)},
		{name: "old platform without the endpoint", n: 3, wrap: only(protocolPathInquiries, http.StatusNotFound)},
		{name: "answer lost after the platform stored them", n: 3, wrap: loseAnswer(protocolPathInquiries), onServer: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			f.setWrap(tt.wrap)
			st := newInquiryStore(tt.n)
			if tt.bad {
				st.log = append(st.log, credit.Inquiry{ID: "q-public", SubjectID: personID, InquirerKind: credit.InquirerPublic,
					Purpose: credit.PurposePublic, Channel: "kiosk-1", At: t0})
			}
			c := f.client(func(cfg *Config) { cfg.Outbox, cfg.RetryMax = st, -1 })
			c.uploadInquiries(t.Context())
			sent, refused := st.counts()
			if sent != tt.sent || refused != tt.refuse {
				t.Fatalf("marked sent %d, refused %d; want %d, %d", sent, refused, tt.sent, tt.refuse)
			}
			if tt.bad && !strings.Contains(st.rejected["q-public"], "natural person") {
				t.Errorf("refusal reason = %q", st.rejected["q-public"])
			}
			held, err := f.srv.InquiriesOf(t.Context(), personID)
			if err != nil {
				t.Fatal(err)
			}
			if len(held) != tt.onServer {
				t.Fatalf("platform holds %d entries, want %d", len(held), tt.onServer)
			}
			// Healed and sent again (everything, as after a lost answer):
			// the platform acknowledges the same ids and stores each once.
			f.setWrap(nil)
			st.sent, st.rejected = map[string]bool{}, map[string]string{}
			c.uploadInquiries(t.Context())
			if sent, _ := st.counts(); sent != len(st.log)-btoi(tt.bad) {
				t.Fatalf("after healing %d marked sent, want %d", sent, len(st.log)-btoi(tt.bad))
			}
			held, _ = f.srv.InquiriesOf(t.Context(), personID)
			ids := map[string]bool{}
			for _, q := range held {
				ids[q.ID] = true
			}
			if len(held) != len(st.log)-btoi(tt.bad) || len(ids) != len(held) {
				t.Fatalf("platform holds %d entries (%d ids), want %d once each", len(held), len(ids), len(st.log)-btoi(tt.bad))
			}
			// A round with inquiry puts in its feed goes through.
			if _, err := c.SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

const protocolPathInquiries = "/sync/v1/inquiries"

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// only answers status to requests for path and passes the rest.
func only(path string, status int) func(http.ResponseWriter, *http.Request, http.Handler) {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == path {
			http.Error(w, "fault", status)
			return
		}
		next.ServeHTTP(w, r)
	}
}

// loseAnswer lets the platform handle requests for path and then answers
// 502, as if the answer were lost on the way back.
func loseAnswer(path string) func(http.ResponseWriter, *http.Request, http.Handler) {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != path {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(discard{h: http.Header{}}, r)
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

package syncclient

import (
	"context"
	"net/http"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func TestRegisterReport(t *testing.T) {
	f := newFixture(t, 0)
	c := f.client(nil)
	rec := protocol.ReportRecordV1{Code: "7K3M9QZX", KID: "0123456789abcdef", IssuedAt: t0, Expires: t0.Add(90 * 24 * time.Hour),
		ReportType: 2, SubjectIDDisplay: "6201**********123X"}
	other := rec
	other.Code = "7K3M9QZY"
	unmasked := rec
	unmasked.SubjectIDDisplay = "620102199001011234"
	for _, tc := range []struct {
		name string
		no   string
		rec  protocol.ReportRecordV1
		code string
	}{
		{"first", "620102K1-20261127-000001", rec, ""},
		{"replay", "620102K1-20261127-000001", rec, ""},
		{"other data", "620102K1-20261127-000001", other, credit.ECONFLICT},
		{"unmasked", "620102K1-20261127-000002", unmasked, credit.EINVALID},
	} {
		if err := c.RegisterReport(t.Context(), tc.no, tc.rec); credit.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	var a protocol.LookupV1
	if got, err := f.srv.Lookup(t.Context(), "620102K1-20261127-000001", "7k3m9qzx"); err != nil || got.Status != protocol.LookupKnown {
		t.Fatalf("lookup: %+v %v", got, err)
	} else {
		a = got
	}
	if a.SubjectIDDisplay != rec.SubjectIDDisplay {
		t.Fatalf("%+v", a)
	}
}

// memReports is an in-memory ReportQueue.
type memReports struct {
	pending  []PendingReport
	answered map[string]string
	notSent  int
}

func (m *memReports) PendingReports(_ context.Context, limit int) ([]PendingReport, error) {
	return m.pending[:min(limit, len(m.pending))], nil
}

func (m *memReports) ReportAnswered(_ context.Context, no, refused string) error {
	if m.answered == nil {
		m.answered = map[string]string{}
	}
	m.answered[no] = refused
	for i, p := range m.pending {
		if p.No == no {
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			break
		}
	}
	return nil
}

func (m *memReports) ReportNotSent(context.Context, string) error { m.notSent++; return nil }

// SyncOnce registers the queued reports: a refusal is recorded and not
// sent again; while the platform is away everything stays queued.
func TestSyncOnceRegistersReports(t *testing.T) {
	f := newFixture(t, 0)
	rec := protocol.ReportRecordV1{Code: "7K3M9QZX", KID: "0123456789abcdef", IssuedAt: t0, Expires: t0.Add(90 * 24 * time.Hour),
		ReportType: 2, SubjectIDDisplay: "6201**********123X"}
	bad := rec
	bad.SubjectIDDisplay = "620102199001011234"
	q := &memReports{pending: []PendingReport{{"620102K1-20261127-000001", rec}, {"620102K1-20261127-000002", bad}}}

	f.setWrap(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	if _, err := f.client(func(c *Config) { c.Reports, c.RetryMax = q, -1 }).SyncOnce(t.Context()); err == nil {
		t.Fatal("round succeeded with the platform down")
	}
	if len(q.pending) != 2 || q.notSent != 1 {
		t.Fatalf("offline: pending %d, not sent %d", len(q.pending), q.notSent)
	}

	f.setWrap(nil)
	res, err := f.client(func(c *Config) { c.Reports = q }).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Registered != 1 || len(q.pending) != 0 || q.answered["620102K1-20261127-000001"] != "" || q.answered["620102K1-20261127-000002"] == "" {
		t.Fatalf("registered %d, pending %v, answered %q", res.Registered, q.pending, q.answered)
	}
	if got, err := f.srv.Lookup(t.Context(), "620102K1-20261127-000001", "7K3M9QZX"); err != nil || got.Status != protocol.LookupKnown {
		t.Fatalf("lookup: %+v %v", got, err)
	}
}

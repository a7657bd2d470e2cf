package syncclient

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const token = "tok-secret-123"

// fixture is a real server on a SQLite file, served on 127.0.0.1 through
// an optional fault-injecting wrapper.
type fixture struct {
	srv   *syncserver.Server
	hs    *httptest.Server
	store *fakeStore
	logs  *lockedbuf.Buffer
	wrap  func(w http.ResponseWriter, r *http.Request, next http.Handler) // nil: pass through
	mu    sync.Mutex
	reqs  []string // "METHOD path" seen by the wrapper
}

func newFixture(t *testing.T, pageLimit int) *fixture {
	t.Helper()
	srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{
		Devices: map[string]string{token: "kiosk-1"}, PageLimit: pageLimit, Now: func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, store: newFakeStore(), logs: &lockedbuf.Buffer{}}
	h := srv.Handler()
	f.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Method+" "+r.URL.Path)
		wrap := f.wrap
		f.mu.Unlock()
		if wrap != nil {
			wrap(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { f.hs.Close(); srv.Close() })
	return f
}

func (f *fixture) setWrap(w func(http.ResponseWriter, *http.Request, http.Handler)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wrap = w
}

func (f *fixture) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reqs...)
}

func (f *fixture) client(mod func(*Config)) *Client {
	cfg := Config{
		BaseURL: f.hs.URL, Token: token, DeviceID: "kiosk-1", Outbox: f.store, Applier: f.store,
		Logger:       slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RetryMax: 2,
	}
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg)
}

func seed(t *testing.T, srv *syncserver.Server, n int) {
	t.Helper()
	var ss []credit.Subject
	var rs []credit.Record
	for i := range n {
		id := fmt.Sprintf("91620100MA7%07d", i) // shape only; the server stores what it is given
		ss = append(ss, credit.Subject{ID: id, Kind: credit.LegalPerson, Name: "兰州某公司" + strconv.Itoa(i), Region: "620102", Version: 1})
		rs = append(rs, credit.Record{ID: "R" + strconv.Itoa(i), SubjectID: id, Category: credit.CategoryUntrustworthy,
			Title: "行政处罚", Content: "CANARY-" + strconv.Itoa(i), SourceUnit: "兰州市市场监督管理局", DecisionDate: t0, Version: 1})
	}
	if err := srv.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
}

func objection(id, statement string) []byte {
	b, _ := json.Marshal(credit.Objection{ID: id, SubjectID: "S", RecordID: "R0", Type: credit.ObjWrongInfo,
		Statement: statement, Channel: "kiosk-1", ReceivedAt: t0.Add(-time.Hour), Status: credit.StatusQueued})
	return b
}

func TestPullPagesAndTombstone(t *testing.T) {
	f := newFixture(t, 3)
	seed(t, f.srv, 4) // 8 ops → pages of 3, 3, 2
	var phases []Phase
	c := f.client(func(cfg *Config) { cfg.OnProgress = func(p Progress) { phases = append(phases, p.Phase) } })

	res, err := c.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cur, pages, records := f.store.snapshot()
	if res.Pages != 3 || res.Applied != 8 || pages != 3 || records != 4 || cur == "" || res.Cursor != cur || !res.AsOf.Equal(t0) {
		t.Fatalf("result %+v; store pages %d records %d", res, pages, records)
	}
	if phases[0] != PhasePull || phases[len(phases)-1] != PhaseDone || c.LastSuccess().IsZero() {
		t.Errorf("phases %v", phases)
	}

	if err := f.srv.WithdrawRecord(t.Context(), "R2", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	res, err = c.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 1 || res.Applied != 1 {
		t.Fatalf("second round %+v", res)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if _, ok := f.store.records["R2"]; ok {
		t.Error("withdrawn record still cached")
	}
	tomb := f.store.tombs[0]
	if tomb.ID != "R2" || tomb.Reason != "withdrawn" || tomb.Record != nil || tomb.Subject != nil {
		t.Errorf("tombstone %+v", tomb)
	}
	if f.store.cursor == cur {
		t.Error("cursor did not move")
	}
}

func TestPushSurvivesLostResponse(t *testing.T) {
	tests := []struct {
		name string
		lose func(w http.ResponseWriter)
	}{
		{"502 after commit", func(w http.ResponseWriter) { http.Error(w, "bad gateway", http.StatusBadGateway) }},
		{"connection dropped after commit", func(w http.ResponseWriter) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			var lost atomic.Bool
			f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				if r.Method == http.MethodPut && lost.CompareAndSwap(false, true) {
					next.ServeHTTP(httptest.NewRecorder(), r) // the platform commits…
					tt.lose(w)                                // …and the answer is lost
					return
				}
				next.ServeHTTP(w, r)
			})
			id := credit.NewUUID()
			f.store.enqueue(credit.KindObjection, id, objection(id, "该处罚已被撤销"))
			res, err := f.client(nil).SyncOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			apps, err := f.srv.Applications(t.Context())
			if err != nil || len(apps) != 1 {
				t.Fatalf("server holds %d applications (%v)", len(apps), err)
			}
			f.store.mu.Lock()
			defer f.store.mu.Unlock()
			if got := f.store.delivered[id]; got != apps[0].Receipt || res.Pushed != 1 {
				t.Errorf("client receipt %+v, server %+v", got, apps[0].Receipt)
			}
			puts := 0
			for _, r := range f.requests() {
				if strings.HasPrefix(r, "PUT") {
					puts++
				}
			}
			if puts < 2 {
				t.Errorf("the PUT was not retried: %v", f.requests())
			}
			if st := f.store.statuses[id]; st.Status != credit.StatusReceived {
				t.Errorf("received status not pulled: %+v", st)
			}
			if logs := f.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, "Bearer") || strings.Contains(logs, "该处罚") {
				t.Errorf("logs leak secrets or content:\n%s", logs)
			}
		})
	}
}

func TestPushRejectsWithoutBlocking(t *testing.T) {
	f := newFixture(t, 0)
	x, y, z := credit.NewUUID(), credit.NewUUID(), credit.NewUUID()
	f.store.enqueue(credit.KindObjection, x, objection(x, "第一次"))
	if _, err := f.client(nil).SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A second device-side item reusing x with another body, an invalid
	// one, and a good one behind them.
	f.store.mu.Lock()
	delete(f.store.delivered, x)
	f.store.items = nil
	f.store.mu.Unlock()
	f.store.enqueue(credit.KindObjection, x, objection(x, "第二次，内容不同"))
	f.store.enqueue(credit.KindObjection, z, objection(z, "   "))
	f.store.enqueue(credit.KindObjection, y, objection(y, "有效的异议"))

	res, err := f.client(nil).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 1 || res.Rejected != 2 {
		t.Fatalf("result %+v", res)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if !strings.Contains(f.store.rejected[x], "different application") || !strings.Contains(f.store.rejected[z], "Please state why") {
		t.Errorf("rejections %q", f.store.rejected)
	}
	if _, ok := f.store.delivered[y]; !ok {
		t.Error("the good item behind the rejected ones was not delivered")
	}
	apps, _ := f.srv.Applications(t.Context())
	if len(apps) != 2 {
		t.Errorf("server holds %d applications", len(apps))
	}
}

func TestPushStopsOnServerFaultButPulls(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 1)
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.Method == http.MethodPut || r.URL.Path == protocol.PathApplicationsBatch {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
	a, b := credit.NewUUID(), credit.NewUUID()
	f.store.enqueue(credit.KindObjection, a, objection(a, "一"))
	f.store.enqueue(credit.KindObjection, b, objection(b, "二"))
	res, err := f.client(func(c *Config) { c.RetryMax = 1 }).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "无法连接信用信息平台") {
		t.Fatalf("err = %v", err)
	}
	if res.Applied != 2 {
		t.Errorf("pull did not run after the push stopped: %+v", res)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	// Both items went in one batch (push_batch.go): one failed attempt each.
	if len(f.store.attempts[a]) != 1 || len(f.store.attempts[b]) != 1 {
		t.Errorf("attempts %v", f.store.attempts)
	}
	puts := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "PUT") || r == "POST "+protocol.PathApplicationsBatch {
			puts++
		}
	}
	if puts != 2 { // one try and one retry of the batch
		t.Errorf("%d uploads: %v", puts, f.requests())
	}
}

func TestHello(t *testing.T) {
	f := newFixture(t, 7)
	h, err := f.client(nil).Hello(t.Context())
	if err != nil || h.Protocol != 1 || !h.ServerTime.Equal(t0) || h.PageLimit != 7 || h.MaxStalenessH != 72 || h.DeviceID != "kiosk-1" {
		t.Fatalf("hello %+v %v", h, err)
	}
	if _, err := f.client(func(c *Config) { c.Token = "bad" }).Hello(t.Context()); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("bad token: %v", err)
	}
}

package syncclient

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// count returns how many requests started with prefix.
func (f *fixture) count(prefix string) int {
	n := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// serverReceipts maps application id → receipt as the platform holds them,
// failing when an id is stored more than once.
func (f *fixture) serverReceipts(t *testing.T) map[string]credit.Receipt {
	t.Helper()
	apps, err := f.srv.Applications(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]credit.Receipt{}
	for _, a := range apps {
		if _, dup := out[a.ID]; dup {
			t.Fatalf("application %s stored twice", a.ID)
		}
		out[a.ID] = a.Receipt
	}
	return out
}

func TestPushBatchMixed(t *testing.T) {
	f := newFixture(t, 0)
	x := credit.NewUUID()
	f.store.enqueue(credit.KindObjection, x, objection(x, "第一次"))
	if _, err := f.client(nil).SyncOnce(t.Context()); err != nil { // one item: a PUT
		t.Fatal(err)
	}
	// x again with another body, an invalid item, two good ones.
	f.store.mu.Lock()
	delete(f.store.delivered, x)
	f.store.items = nil
	f.store.mu.Unlock()
	y, z, w := credit.NewUUID(), credit.NewUUID(), credit.NewUUID()
	f.store.enqueue(credit.KindObjection, y, objection(y, "有效的异议"))
	f.store.enqueue(credit.KindObjection, x, objection(x, "第二次，内容不同"))
	f.store.enqueue(credit.KindObjection, z, objection(z, "   "))
	f.store.enqueue(credit.KindObjection, w, objection(w, "另一份有效的异议"))
	res, err := f.client(nil).SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed != 2 || res.Rejected != 2 {
		t.Errorf("result %+v", res)
	}
	if puts, batches := f.count("PUT"), f.count("POST "+protocol.PathApplicationsBatch); puts != 1 || batches != 1 {
		t.Errorf("%d PUTs and %d batches: %v", puts, batches, f.requests())
	}
	srv := f.serverReceipts(t)
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	for _, id := range []string{y, w} {
		if got := f.store.delivered[id]; got != srv[id] || got.ServerSeq == 0 {
			t.Errorf("%s: receipt stored %+v, platform %+v", id, got, srv[id])
		}
	}
	if !strings.Contains(f.store.rejected[x], "different application") || !strings.Contains(f.store.rejected[z], "Please state why") {
		t.Errorf("rejections %q", f.store.rejected)
	}
	if len(srv) != 3 {
		t.Errorf("platform holds %d applications", len(srv))
	}
}

func TestPushBatchSurvivesLostResponse(t *testing.T) {
	tests := []struct {
		name string
		lose func(w http.ResponseWriter)
	}{
		{"502 after commit", func(w http.ResponseWriter) { http.Error(w, "bad gateway", http.StatusBadGateway) }},
		{"connection dropped after commit", func(w http.ResponseWriter) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			var lost atomic.Bool
			f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
				if r.URL.Path == protocol.PathApplicationsBatch && lost.CompareAndSwap(false, true) {
					next.ServeHTTP(httptest.NewRecorder(), r) // the platform commits the batch…
					tt.lose(w)                                // …and the answer is lost
					return
				}
				next.ServeHTTP(w, r)
			})
			var ids []string
			for i := range 5 {
				id := credit.NewUUID()
				ids = append(ids, id)
				f.store.enqueue(credit.KindObjection, id, objection(id, "异议"+string(rune('一'+i))))
			}
			res, err := f.client(nil).SyncOnce(t.Context())
			if err != nil || res.Pushed != 5 {
				t.Fatalf("%+v %v", res, err)
			}
			if n := f.count("POST " + protocol.PathApplicationsBatch); n != 2 || f.count("PUT") != 0 {
				t.Errorf("the batch was not sent again as it was: %v", f.requests())
			}
			srv := f.serverReceipts(t)
			f.store.mu.Lock()
			defer f.store.mu.Unlock()
			for _, id := range ids {
				if got := f.store.delivered[id]; got != srv[id] || got.ServerSeq == 0 {
					t.Errorf("%s: client receipt %+v, platform %+v", id, got, srv[id])
				}
			}
			if len(srv) != 5 {
				t.Errorf("platform holds %d applications, want 5", len(srv))
			}
		})
	}
}

// An item the platform could not take now keeps its place; the others'
// receipts are stored, the round reports the fault, the next round sends
// the rest.
func TestPushBatchItemFault(t *testing.T) {
	f := newFixture(t, 0)
	var faulted atomic.Bool
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != protocol.PathApplicationsBatch || !faulted.CompareAndSwap(false, true) {
			next.ServeHTTP(w, r)
			return
		}
		// The platform answers item 1 with 503 (as if its transaction
		// failed): the request goes through without it.
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(r.Body)
		var req protocol.BatchRequestV1
		if err := json.Unmarshal(body.Bytes(), &req); err != nil {
			t.Error(err)
		}
		skipped := req.Items[1]
		req.Items = append(req.Items[:1], req.Items[2:]...)
		b, _ := json.Marshal(req)
		r2 := r.Clone(r.Context())
		r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r2)
		var resp protocol.BatchResponseV1
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Errorf("%v: %s", err, rec.Body)
		}
		resp.Results = append(resp.Results[:1], append([]protocol.BatchResultV1{{ID: skipped.ID, Status: 503,
			Problem: &protocol.Problem{Code: protocol.CodeInternal, Status: 503}}}, resp.Results[1:]...)...)
		w.Header().Set("Content-Type", protocol.ContentTypeJSON)
		_ = json.NewEncoder(w).Encode(resp)
	})
	a, b, c := credit.NewUUID(), credit.NewUUID(), credit.NewUUID()
	for _, id := range []string{a, b, c} {
		f.store.enqueue(credit.KindObjection, id, objection(id, "异议"))
	}
	cl := f.client(nil)
	res, err := cl.SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || res.Pushed != 2 || res.Pages == 0 {
		t.Fatalf("first round: %+v %v", res, err)
	}
	f.store.mu.Lock()
	_, gotA := f.store.delivered[a]
	_, gotB := f.store.delivered[b]
	_, gotC := f.store.delivered[c]
	attemptsB := len(f.store.attempts[b])
	f.store.mu.Unlock()
	if !gotA || gotB || !gotC || attemptsB != 1 {
		t.Fatalf("after the first round: a %v b %v c %v, b's attempts %d", gotA, gotB, gotC, attemptsB)
	}
	if res, err := cl.SyncOnce(t.Context()); err != nil || res.Pushed != 1 {
		t.Fatalf("second round: %+v %v", res, err)
	}
	if srv := f.serverReceipts(t); len(srv) != 3 {
		t.Errorf("platform holds %d applications", len(srv))
	}
}

// A platform without the batch form answers 404 or 405, one that refuses
// the batch as a whole 400 or 413: the items go one PUT each, and only
// one batch is tried in the round.
func TestPushBatchFallsBackToPuts(t *testing.T) {
	tests := []struct {
		name string
		wrap func(w http.ResponseWriter, r *http.Request, next http.Handler)
	}{
		{"batch method not allowed", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == protocol.PathApplicationsBatch {
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			next.ServeHTTP(w, r)
		}},
		{"batch refused whole as too large", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == protocol.PathApplicationsBatch {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			next.ServeHTTP(w, r)
		}},
		{"batch refused whole as malformed", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == protocol.PathApplicationsBatch {
				w.Header().Set("Content-Type", protocol.ContentTypeProblem)
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"title":"bad batch","status":400,"code":"bad_request"}`))
				return
			}
			next.ServeHTTP(w, r)
		}},
		{"batch endpoint not found", func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.URL.Path == protocol.PathApplicationsBatch {
				http.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			f.setWrap(tt.wrap)
			for range 3 {
				id := credit.NewUUID()
				f.store.enqueue(credit.KindObjection, id, objection(id, "异议"))
			}
			res, err := f.client(nil).SyncOnce(t.Context())
			if err != nil || res.Pushed != 3 || f.count("PUT") != 3 || f.count("POST "+protocol.PathApplicationsBatch) != 1 || len(f.serverReceipts(t)) != 3 {
				t.Errorf("%+v %v: %v", res, err, f.requests())
			}
		})
	}
}

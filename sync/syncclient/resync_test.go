package syncclient

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Every "your cursor is no good" answer funnels into one resync: a
// snapshot, then the sweep of what it lacks, then the feed from S0.
func TestResyncTriggers(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, f *fixture)
	}{
		{"epoch rotated", func(t *testing.T, f *fixture) {
			if _, err := f.srv.RotateEpoch(t.Context()); err != nil {
				t.Fatal(err)
			}
		}},
		{"tampered cursor", func(t *testing.T, f *fixture) {
			f.store.mu.Lock()
			p, sig, _ := strings.Cut(f.store.cursor, ".")
			f.store.cursor = p + "A." + sig
			f.store.mu.Unlock()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3)
			seed(t, f.srv, 4)
			id := credit.NewUUID()
			c := f.client(nil)
			if _, err := c.SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			// A record withdrawn, the tombstone lost to this device (as
			// after compaction), and an application captured meanwhile.
			if err := f.srv.WithdrawRecord(t.Context(), "R1", "withdrawn"); err != nil {
				t.Fatal(err)
			}
			f.store.enqueue(credit.KindObjection, id, objection(id, "离线时提交"))
			tt.break_(t, f)
			var phases []Phase
			c = f.client(func(cfg *Config) { cfg.OnProgress = func(p Progress) { phases = append(phases, p.Phase) } })
			res, err := c.SyncOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if res.Resyncs != 1 || res.Pushed != 1 || !containsPhase(phases, PhaseResync) {
				t.Fatalf("result %+v, phases %v", res, phases)
			}
			f.store.mu.Lock()
			_, kept := f.store.records["R1"]
			nrec, active, begins := len(f.store.records), f.store.snapActive, f.store.begins
			f.store.mu.Unlock()
			if kept || nrec != 3 || active || begins != 1 {
				t.Errorf("after resync: R1 kept %v, %d records, snapshot active %v, begins %d", kept, nrec, active, begins)
			}
			apps, err := f.srv.Applications(t.Context())
			if err != nil || len(apps) != 1 || apps[0].ID != id {
				t.Fatalf("server applications %+v, %v", apps, err)
			}
			// The feed goes on from S0, without another resync.
			seed(t, f.srv, 5)
			res, err = c.SyncOnce(t.Context())
			if err != nil || res.Resyncs != 0 || res.Pushed != 0 {
				t.Fatalf("next round %+v, %v", res, err)
			}
			f.store.mu.Lock()
			defer f.store.mu.Unlock()
			if len(f.store.records) != 5 {
				t.Errorf("%d records after catching up", len(f.store.records))
			}
		})
	}
}

func containsPhase(ps []Phase, p Phase) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// A resync cut off mid-snapshot continues where it stopped, with the
// same token, and the old cursor is kept until the sweep.
func TestResyncResumes(t *testing.T) {
	f := newFixture(t, 2)
	seed(t, f.srv, 4) // snapshot: 4 subjects + 4 records = 4 pages of 2
	c := f.client(func(cfg *Config) { cfg.RetryMax = -1 })
	if _, err := c.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	oldCursor, _, _ := f.store.snapshot()
	if _, err := f.srv.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	var snaps atomic.Int32
	var resumedAfter atomic.Value
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == protocol.PathSnapshot {
			n := snaps.Add(1)
			if n == 3 {
				http.Error(w, "unavailable", http.StatusServiceUnavailable)
				return
			}
			if n == 4 {
				resumedAfter.Store(r.URL.Query().Get("after") + "|" + r.URL.Query().Get("token"))
			}
		}
		next.ServeHTTP(w, r)
	})
	if _, err := c.SyncOnce(t.Context()); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	f.store.mu.Lock()
	tok, after, active, cur := f.store.snapToken, f.store.snapAfter, f.store.snapActive, f.store.cursor
	f.store.mu.Unlock()
	if !active || tok == "" || after == "" || cur != oldCursor {
		t.Fatalf("progress after the cut: active %v token %q after %q, cursor kept %v", active, tok, after, cur == oldCursor)
	}
	res, err := c.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := resumedAfter.Load().(string); got != after+"|"+tok {
		t.Errorf("resumed with %q, want %q", got, after+"|"+tok)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if f.store.begins != 1 || f.store.snapActive || len(f.store.records) != 4 || len(f.store.subjects) != 4 || res.Resyncs != 0 {
		t.Errorf("begins %d, active %v, %d records, %d subjects, %+v", f.store.begins, f.store.snapActive, len(f.store.records), len(f.store.subjects), res)
	}
}

// A platform that answers 410 for ever does not make the client loop.
func TestResyncLoopBounded(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 1)
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == protocol.PathChanges {
			p := protocol.NewProblem(http.StatusGone, protocol.CodeResyncRequired, "gone", nil)
			p.Reason = protocol.ReasonEpochChanged
			w.Header().Set("Content-Type", protocol.ContentTypeProblem)
			w.WriteHeader(http.StatusGone)
			b, _ := json.Marshal(p)
			w.Write(b)
			return
		}
		next.ServeHTTP(w, r)
	})
	res, err := f.client(nil).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessageEN(err), "resync") {
		t.Fatalf("err = %v", err)
	}
	if res.Resyncs != maxResyncsPerRound {
		t.Errorf("resyncs %d", res.Resyncs)
	}
}

// A put the client cannot read never holds up the deletion on its page.
func TestPoisonPutDoesNotDelayDeletion(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 2)
	c := f.client(nil)
	if _, err := c.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != protocol.PathChanges {
			next.ServeHTTP(w, r)
			return
		}
		var buf bytes.Buffer
		e := protocol.NewPageEncoder(&buf)
		_ = e.Encode(protocol.Line{Op: protocol.OpPut, T: "record", ID: "R9", Ver: 1, Seq: 1000, D: []byte(`{"id":"R9","decision_date":42}`)})
		_ = e.Encode(protocol.Line{Op: protocol.OpDel, T: "record", ID: "R0", Ver: 2, Seq: 1001, Why: "withdrawn"})
		_ = e.End("CUR-after-poison", false, t0)
		w.Header().Set("Content-Type", protocol.ContentTypeNDJSON)
		w.Write(buf.Bytes())
	})
	res, err := c.SyncOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if _, ok := f.store.records["R0"]; ok || res.Deleted != 1 || res.Quarantined != 1 || f.store.cursor != "CUR-after-poison" {
		t.Errorf("R0 kept %v, result %+v, cursor %q", ok, res, f.store.cursor)
	}
	if reason := f.store.quarantined["record/R9"]; !strings.Contains(reason, "R9") {
		t.Errorf("quarantine %v", f.store.quarantined)
	}
}

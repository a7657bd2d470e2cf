package syncclient

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// damageUploads makes the rig flip a byte of (or cut) the body of the
// first n upload requests before the platform reads it, as a bad link
// would, and counts the uploads and the answers the platform gave them.
func (g *signedRig) damageUploads(n int32, cut bool) (uploads *atomic.Int32, statuses func() []int) {
	uploads = new(atomic.Int32)
	var mu = &g.mu
	var got []int
	g.wrap = func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if !strings.HasPrefix(r.URL.Path, protocol.PathPrefix+"/applications") {
			next.ServeHTTP(w, r)
			return
		}
		if uploads.Add(1) <= n {
			b, _ := io.ReadAll(r.Body)
			if cut {
				b = b[:len(b)/2]
			} else {
				b[len(b)/2] ^= 0x01
			}
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		mu.Lock()
		got = append(got, rec.status)
		mu.Unlock()
	}
	return uploads, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), got...)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// An upload whose body is damaged on the way is answered 400
// digest_mismatch, not 401; the client sends the same frozen body again,
// freshly signed, and the platform stores it exactly once (sync.md §3 F5).
func TestDamagedUploadResent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		items int
		cut   bool
	}{
		{"one PUT, byte flipped", 1, false},
		{"one PUT, body cut", 1, true},
		{"batch, byte flipped", 3, false},
		{"batch, body cut", 3, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newSignedRig(t)
			seed(t, g.srv, 2)
			var ids []string
			for i := 0; i < tt.items; i++ {
				id := credit.NewUUID()
				ids = append(ids, id)
				g.store.enqueue(credit.KindObjection, id, objection(id, "damaged on the way"))
			}
			uploads, statuses := g.damageUploads(1, tt.cut)
			res, err := g.client(nil).SyncOnce(t.Context())
			if err != nil {
				t.Fatalf("round: %v", err)
			}
			if res.Pushed != tt.items || res.Rejected != 0 {
				t.Fatalf("result %+v", res)
			}
			if got := statuses(); len(got) != 2 || got[0] != http.StatusBadRequest || got[1] >= 300 || uploads.Load() != 2 {
				t.Fatalf("upload answers %v (%d uploads), want 400 then success", got, uploads.Load())
			}
			apps, err := g.srv.Applications(t.Context())
			if err != nil || len(apps) != tt.items {
				t.Fatalf("platform holds %d applications, want %d (%v)", len(apps), tt.items, err)
			}
			g.store.mu.Lock()
			defer g.store.mu.Unlock()
			for i, a := range apps {
				if rc, ok := g.store.delivered[ids[i]]; !ok || rc.Digest != protocol.BodyDigest(a.Body) || !bytes.Equal(a.Body, objection(ids[i], "damaged on the way")) {
					t.Errorf("application %s: delivered %v, platform body %q", ids[i], ok, a.Body)
				}
			}
			if len(g.store.rejected) != 0 {
				t.Errorf("rejected %v", g.store.rejected)
			}
			if logs := g.logs.String(); !strings.Contains(logs, "code=digest_mismatch") || strings.Contains(logs, "not authorised") {
				t.Errorf("logs:\n%s", logs)
			}
		})
	}
}

// When every attempt arrives damaged, the round stops as the platform
// being unavailable: the item keeps its place with its attempts counted,
// is never rejected, and nothing is stored; the next round delivers it.
func TestDamagedUploadRetriesRunOut(t *testing.T) {
	for _, items := range []int{1, 2} {
		g := newSignedRig(t)
		var ids []string
		for i := 0; i < items; i++ {
			id := credit.NewUUID()
			ids = append(ids, id)
			g.store.enqueue(credit.KindObjection, id, objection(id, "always damaged"))
		}
		uploads, _ := g.damageUploads(1<<20, false)
		c := g.client(nil)
		_, err := c.SyncOnce(t.Context())
		if credit.ErrorCode(err) != credit.EUNAVAILABLE {
			t.Fatalf("%d items: err = %v, want unavailable", items, err)
		}
		// RetryMax 2: three attempts per request; a batch whose attempts
		// all fail goes on as one PUT per item (push_batch.go), the first
		// of which gets its three too. Bounded either way.
		if n := uploads.Load(); n < 3 || n > 6 || n%3 != 0 {
			t.Errorf("%d items: %d upload attempts, want 3 per request form", items, n)
		}
		apps, _ := g.srv.Applications(t.Context())
		g.store.mu.Lock()
		rejected, attempts, delivered := len(g.store.rejected), len(g.store.attempts[ids[0]]), len(g.store.delivered)
		g.store.mu.Unlock()
		if len(apps) != 0 || rejected != 0 || delivered != 0 || attempts != 1 {
			t.Fatalf("%d items: platform %d, rejected %d, delivered %d, attempts marked %d", items, len(apps), rejected, delivered, attempts)
		}
		g.mu.Lock()
		g.wrap = nil
		g.mu.Unlock()
		if res, err := c.SyncOnce(t.Context()); err != nil || res.Pushed != items {
			t.Fatalf("%d items: next round %+v, %v", items, res, err)
		}
	}
}

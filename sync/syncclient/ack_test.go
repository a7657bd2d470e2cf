package syncclient

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
)

// After each round the client acks what it applied; when the ack is lost
// the platform shows the device's deletion lag until the next round.
func TestAckAfterRound(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 3)
	c := f.client(nil)
	res, err := c.SyncOnce(t.Context())
	if err != nil || !res.Acked {
		t.Fatalf("first round %+v, %v", res, err)
	}
	var failAck atomic.Bool
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == protocol.PathAck && failAck.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
	if err := f.srv.WithdrawRecord(t.Context(), "R1", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	failAck.Store(true)
	res, err = c.SyncOnce(t.Context())
	if err != nil || res.Acked || res.Deleted != 1 || res.AppliedThroughSeq == 0 {
		t.Fatalf("round with the ack lost: %+v, %v (a lost ack must not fail the round)", res, err)
	}
	devs, err := f.srv.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].Unacked != 1 {
		t.Fatalf("devices %+v, %v", devs, err)
	}
	failAck.Store(false)
	if res, err := c.SyncOnce(t.Context()); err != nil || !res.Acked {
		t.Fatalf("next round %+v, %v", res, err)
	}
	devs, _ = f.srv.Devices(t.Context())
	if devs[0].Unacked != 0 || devs[0].AckedSeq < res.AppliedThroughSeq {
		t.Errorf("after the ack %+v (applied through %d)", devs[0], res.AppliedThroughSeq)
	}
}

package e2e_test

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// resentAfterDigestMismatch (F5): the damaged upload was answered 400
// (digest_mismatch, not 401 "not authorised"), the client's retry of the
// same body succeeded in the same round, and every captured application
// is delivered already.
func resentAfterDigestMismatch(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, from int) {
	t := r.t
	var got []string
	damaged, resent := false, false
	for _, e := range r.proxy.Events()[from:] {
		if !strings.HasPrefix(e.Path, uploads) {
			continue
		}
		got = append(got, fmt.Sprintf("%s→%d", e.Action, e.Status))
		switch {
		case !damaged && (e.Action == faultproxy.CorruptRequest || e.Action == faultproxy.TruncateRequest) && e.Status == http.StatusBadRequest:
			damaged = true
		case damaged && e.Action == faultproxy.Pass && e.Status >= 200 && e.Status < 300:
			resent = true
		}
	}
	if !damaged || !resent {
		t.Errorf("uploads %v: want the damaged one answered 400, then the retry accepted", got)
	}
	pending, err := r.db.PendingOutbox(t.Context(), 100)
	if err != nil || len(pending) != 0 {
		t.Errorf("after the faulty round %d applications pending (%v)", len(pending), err)
	}
}

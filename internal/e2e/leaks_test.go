package e2e_test

import (
	"testing"

	"github.com/gansu-credit/credit/internal/leakcheck"
	"go.uber.org/goleak"
)

// checkNoLeaks is invariant I9 of sync.md (no leaks) for one scenario.
// Called before a rig is built, it records the goroutines and the open
// descriptors; when the test ends, after the rig's own cleanups have
// closed the platform, the fault proxy, the listeners and the cache (it
// registers first, so it runs last), no goroutine the scenario started
// may be left (goleak) and the open descriptors and sockets must be back
// to the baseline (leakcheck).
func checkNoLeaks(t *testing.T) {
	t.Helper()
	fds := leakcheck.Baseline(t)
	base := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		goleak.VerifyNone(t, base)
		leakcheck.Check(t, fds)
	})
}

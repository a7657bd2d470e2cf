//go:build linux

package lazyfs

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine they started is
// still running after the last test: invariant I9 (no leaks) of
// shared/design/sync.md.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine they started is
// still running after the last test: invariant I9 (no leaks) of
// shared/design/sync.md. The one goroutine ignored is fyne's, not ours:
// its GL driver's function queue (funcQueue in
// fyne/v2/internal/driver/glfw/loop.go), a package variable whose
// goroutine starts at init and lives as long as the process.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("fyne.io/fyne/v2/internal/async.(*UnboundedChan[...]).processing"))
}

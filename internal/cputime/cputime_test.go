//go:build unix

package cputime

import (
	"testing"
	"time"
)

// Work on this goroutine shows in Process: a busy loop sees it grow by
// 10 ms of CPU (the 10 s bound is a hang guard, not a timing assertion:
// on a shared machine the loop may wait for a core).
func TestProcessGrowsWithWork(t *testing.T) {
	before := Process()
	if before <= 0 {
		t.Fatalf("Process() = %v before any work, want > 0 (the runtime has started)", before)
	}
	deadline := time.Now().Add(10 * time.Second)
	for Process()-before < 10*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("Process() went %v → %v over 10 s of busy loop", before, Process())
		}
	}
}

// Package cputime reads the CPU time the process has used, for benchmarks
// and load reports that give CPU seconds beside wall time (on a shared
// machine the wall time alone says more about the neighbours).
package cputime

import "time"

// Process returns the user + system CPU time the process has used so far;
// 0 where it is not measured (outside unix) or cannot be read.
func Process() time.Duration { return process() }

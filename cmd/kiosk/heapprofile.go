package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Environment variables of the heap-profile hook, a measuring aid for the
// kiosk's memory (issue 7, docs/benchmarks.md). Off unless
// CREDIT_KIOSK_HEAP_PROFILE names a file; the kiosk then writes one heap
// profile there (`go tool pprof -sample_index=inuse_space`) and logs the Go
// runtime's memory figures, CREDIT_KIOSK_HEAP_PROFILE_AFTER after start
// (default 10 s). No port is opened.
const (
	heapProfileEnv      = "CREDIT_KIOSK_HEAP_PROFILE"
	heapProfileAfterEnv = "CREDIT_KIOSK_HEAP_PROFILE_AFTER"
)

// defaultHeapProfileAfter is when the profile is taken without
// CREDIT_KIOSK_HEAP_PROFILE_AFTER: the first frame is drawn and a card on
// the reader has been read.
const defaultHeapProfileAfter = 10 * time.Second

// heapProfileConfig reads the hook's variables through getenv. path is ""
// when the hook is off.
func heapProfileConfig(getenv func(string) string) (path string, after time.Duration, err error) {
	path, after = getenv(heapProfileEnv), defaultHeapProfileAfter
	if path == "" {
		return "", 0, nil
	}
	if s := getenv(heapProfileAfterEnv); s != "" {
		if after, err = time.ParseDuration(s); err != nil || after < 0 {
			return "", 0, fmt.Errorf("%s=%q: want a duration such as 12s", heapProfileAfterEnv, s)
		}
	}
	return path, after, nil
}

// StartHeapProfile (after Open) writes the heap profile the environment
// asks for (heapProfileEnv) once, after its delay, unless Close comes
// first. It returns an error only for a malformed delay; a profile that
// cannot be written is logged.
func (m *Main) StartHeapProfile(getenv func(string) string) error {
	path, after, err := heapProfileConfig(getenv)
	if err != nil || path == "" {
		return err
	}
	ctx := m.ctx
	m.loops.Add(1)
	go func() {
		defer m.loops.Done()
		t := time.NewTimer(after)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := writeHeapProfile(ctx, path); err != nil {
			m.Logger.Error("heap profile", "err", err)
			return
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m.Logger.Info("heap profile written", "path", path,
			"heap_alloc_mb", mb(ms.HeapAlloc), "heap_inuse_mb", mb(ms.HeapInuse), "heap_sys_mb", mb(ms.HeapSys),
			"heap_released_mb", mb(ms.HeapReleased), "stack_mb", mb(ms.StackSys), "go_sys_mb", mb(ms.Sys), "gc", ms.NumGC)
	}()
	return nil
}

// writeHeapProfile collects garbage (so the profile shows live memory)
// and writes the heap profile to path.
func writeHeapProfile(ctx context.Context, path string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write heap profile: %w", err)
	}
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		return errors.Join(fmt.Errorf("write heap profile %s: %w", path, err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write heap profile %s: %w", path, err)
	}
	return nil
}

// mb is n bytes in MB (10^6), one decimal.
func mb(n uint64) float64 { return float64(n/100_000) / 10 }

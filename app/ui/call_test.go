package ui

import (
	"context"
	"testing"
)

// Call runs work through goFn and its result through do, with busy set in
// between; a second Call while the first is running is dropped, and one
// after it has applied runs again.
func TestCall(t *testing.T) {
	ctx := context.WithValue(t.Context(), struct{}{}, "the UI's ctx")
	var busy bool
	var pending []func() // goFn's queue: run by hand, so the test sees busy in between
	var log []string
	goFn := func(f func()) { pending = append(pending, f) }
	do := func(f func()) { log = append(log, "do"); f() }
	work := func(name string) func(context.Context) func() {
		return func(c context.Context) func() {
			if c != ctx {
				t.Errorf("%s: work got another ctx", name)
			}
			log = append(log, "work "+name)
			return func() { log = append(log, "apply "+name) }
		}
	}

	Call(ctx, &busy, goFn, do, work("first"))
	Call(ctx, &busy, goFn, do, work("dropped")) // a tap while the first runs
	if !busy || len(pending) != 1 {
		t.Fatalf("during the call: busy %v, %d queued, want true and 1", busy, len(pending))
	}
	pending[0]()
	if busy {
		t.Fatal("busy still set after apply")
	}
	Call(ctx, &busy, goFn, do, work("second"))
	pending[1]()
	want := []string{"work first", "do", "apply first", "work second", "do", "apply second"}
	if len(log) != len(want) {
		t.Fatalf("log %q, want %q", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("log %q, want %q", log, want)
		}
	}
}

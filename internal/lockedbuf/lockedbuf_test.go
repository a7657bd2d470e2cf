package lockedbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Writers on many goroutines and a reader at the same time lose nothing
// (run with -race: the lock is what keeps them apart).
func TestBufferConcurrent(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				fmt.Fprintf(&b, "g%d-%d\n", g, i)
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	got := b.String()
	if n := strings.Count(got, "\n"); n != 400 {
		t.Fatalf("%d lines written, want 400", n)
	}
	if c := b.Bytes(); string(c) != got {
		t.Fatalf("Bytes %q, String %q", c, got)
	} else if len(c) > 0 {
		c[0] = 'X' // a copy: the buffer keeps what was written
		if b.String() != got {
			t.Error("Bytes returned the buffer itself, not a copy")
		}
	}
	for _, want := range []string{"g0-0\n", "g3-99\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("buffer lacks %q", want)
		}
	}
}

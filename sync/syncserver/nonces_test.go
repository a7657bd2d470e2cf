package syncserver

import (
	"fmt"
	"testing"
	"time"
)

func TestNonceCache(t *testing.T) {
	var c nonceCache
	now := t0
	exp := now.Add(5 * time.Minute)
	steps := []struct {
		name          string
		device, nonce string
		expires, now  time.Time
		fresh, full   bool
	}{
		{"first", "d1", "n1", exp, now, true, false},
		{"replay", "d1", "n1", exp, now.Add(time.Minute), false, false},
		{"same nonce, other device", "d2", "n1", exp, now, true, false},
		{"replay just before expiry", "d1", "n1", exp, exp, false, false},
		{"after its bucket is dropped", "d1", "n1", exp, exp.Add(nonceBucket * time.Second), true, false},
	}
	for _, st := range steps {
		fresh, full := c.add(st.device, st.nonce, st.expires, st.now)
		if fresh != st.fresh || full != st.full {
			t.Errorf("%s: fresh %v full %v, want %v %v", st.name, fresh, full, st.fresh, st.full)
		}
	}
	// Pairs are dropped with their bucket: the count follows.
	later := exp.Add(time.Hour)
	c.add("d3", "n", later.Add(time.Minute), later)
	if c.n != 1 || len(c.buckets) != 1 {
		t.Errorf("after expiry: %d pairs in %d buckets, want 1 in 1", c.n, len(c.buckets))
	}
}

// A full cache refuses new pairs (503 upstream) until a bucket expires,
// and still tells replays apart.
func TestNonceCacheFull(t *testing.T) {
	var c nonceCache
	exp := t0.Add(5 * time.Minute)
	for i := range maxNonces {
		if fresh, _ := c.add("d", fmt.Sprint(i), exp, t0); !fresh {
			t.Fatalf("pair %d not fresh", i)
		}
	}
	if fresh, full := c.add("d", "new", exp, t0); fresh || !full {
		t.Errorf("full cache: fresh %v full %v", fresh, full)
	}
	if fresh, full := c.add("d", "7", exp, t0); fresh || full {
		t.Errorf("replay in a full cache: fresh %v full %v", fresh, full)
	}
	if fresh, full := c.add("d", "new", exp.Add(time.Hour), exp.Add(time.Minute)); !fresh || full || c.n != 1 {
		t.Errorf("after the bucket expired: fresh %v full %v, %d pairs", fresh, full, c.n)
	}
}

// BenchmarkNonceAdd: one add into a cache holding what 400 requests/s
// leave over the 5-minute window (120,000 pairs); the slowest add is
// what every request's authentication may wait for.
func BenchmarkNonceAdd(b *testing.B) {
	var c nonceCache
	now := t0
	for i := range 120_000 {
		c.add("dev", fmt.Sprint(i), now.Add(time.Duration(i)*time.Second/400), now)
	}
	var worst time.Duration
	i := 0
	for b.Loop() {
		i++
		now = now.Add(time.Second / 400)
		t := time.Now()
		c.add("dev", fmt.Sprint("x", i), now.Add(5*time.Minute), now)
		worst = max(worst, time.Since(t))
	}
	b.ReportMetric(float64(worst)/float64(time.Microsecond), "worst-µs")
}

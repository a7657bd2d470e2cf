package syncserver

import (
	"math"
	"sync"
	"time"
)

// Public lookup limits per client IP: a burst of lookupBurst requests,
// then one every lookupEvery. Clients are told apart by the connection's
// address only (no X-Forwarded-For: a reverse proxy in front must limit
// itself).
const (
	lookupBurst   = 20
	lookupEvery   = 3 * time.Second
	maxLimitedIPs = 100_000
)

// tokenBucket is a per-key token bucket.
type tokenBucket struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newTokenBucket(burst int, every time.Duration) *tokenBucket {
	return &tokenBucket{burst: float64(burst), every: every, buckets: map[string]*bucket{}}
}

// allow takes a token for key at now; when none is left it returns false
// and how long until the next one.
func (t *tokenBucket) allow(key string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		if len(t.buckets) >= maxLimitedIPs {
			t.prune(now)
		}
		b = &bucket{tokens: t.burst, at: now}
		t.buckets[key] = b
	}
	if el := now.Sub(b.at); el > 0 {
		b.tokens = math.Min(t.burst, b.tokens+float64(el)/float64(t.every))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(t.every))
}

// prune forgets the buckets that have refilled (they are as good as new)
// or, when that frees nothing, all of them.
func (t *tokenBucket) prune(now time.Time) {
	for k, b := range t.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(t.every) >= t.burst {
			delete(t.buckets, k)
		}
	}
	if len(t.buckets) >= maxLimitedIPs {
		clear(t.buckets)
	}
}

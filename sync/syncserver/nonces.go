package syncserver

import (
	"sync"
	"time"
)

// maxNonces bounds the replay cache; beyond it requests get 503 until
// entries expire (2,000 devices at one request a second stay far below).
const maxNonces = 1 << 20

// nonceBucket is the span of expiry times one bucket of the cache holds.
const nonceBucket = 10 // seconds

// nonceCache remembers the (device, nonce) pairs seen until their created
// time leaves the window. It lives in memory: after a restart, requests
// signed before the start are refused as clock_skew (the client signs
// again), so a replay across a restart is refused too.
//
// Pairs are kept in buckets by expiry (nonceBucket seconds each), and a
// bucket is dropped whole once its last expiry has passed. Pruning the
// pairs one by one walked the whole map under the lock every 10 s (at
// 400 requests/s, 120,000 pairs: every request's authentication waited
// for it) and on every request once the map was full.
type nonceCache struct {
	mu      sync.Mutex
	buckets map[int64]map[string]struct{} // expiry / nonceBucket → device "\n" nonce
	n       int                           // pairs held
}

// add records the pair and reports whether it was new; full reports that
// the cache holds maxNonces pairs that have not expired. A pair whose
// expiry has passed may still be reported seen until its bucket is
// dropped (within nonceBucket seconds); its request is refused before
// this anyway, its created time being out of the window.
func (c *nonceCache) add(device, nonce string, expires, now time.Time) (fresh, full bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buckets == nil {
		c.buckets = map[int64]map[string]struct{}{}
	}
	for b, m := range c.buckets { // a few dozen buckets
		if (b+1)*nonceBucket <= now.Unix() {
			c.n -= len(m)
			delete(c.buckets, b)
		}
	}
	b := expires.Unix() / nonceBucket
	k := device + "\n" + nonce
	if _, ok := c.buckets[b][k]; ok {
		return false, false
	}
	if c.n >= maxNonces {
		return false, true
	}
	m := c.buckets[b]
	if m == nil {
		m = map[string]struct{}{}
		c.buckets[b] = m
	}
	m[k] = struct{}{}
	c.n++
	return true, false
}

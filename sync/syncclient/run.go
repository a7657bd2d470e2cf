package syncclient

import (
	"context"
	"time"
)

// Run calls SyncOnce at once and then every Interval (±10 % jitter). After
// a failed round it waits a capped full-jitter backoff instead: between
// RetryWaitMin and RetryWaitMax·2^n, at most BackoffMax. It returns
// ctx.Err() when ctx is done, and never earlier. On return it closes
// the transport's idle keep-alive connections (closeIdle).
func (c *Client) Run(ctx context.Context) error {
	defer c.closeIdle()
	failures := 0
	for {
		_, err := c.SyncOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var wait time.Duration
		if err != nil {
			wait = c.failureWait(failures)
			failures++
			c.log.Warn("sync failed; will retry", "err", err, "wait", wait, "failures", failures)
		} else {
			failures = 0
			wait = c.cfg.Interval - c.cfg.Interval/10 + time.Duration(c.rand()*float64(c.cfg.Interval/5))
		}
		_ = c.cfg.Sleep(ctx, wait) // its only error is ctx's, checked below
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// failureWait is the pause after the n-th consecutive failed round.
func (c *Client) failureWait(n int) time.Duration {
	return max(fullJitter(c.cfg.RetryWaitMax, c.cfg.BackoffMax, n, c.rand), c.cfg.RetryWaitMin)
}

// closeIdle closes the idle keep-alive connections of the transport under
// the signer and the date observer, so a stopped loop leaves no
// connection and no reader or writer goroutine behind (invariant I9 of
// sync.md; http.Client.CloseIdleConnections stops at our wrappers).
func (c *Client) closeIdle() {
	rt := c.http.HTTPClient.Transport
	for {
		switch t := rt.(type) {
		case *signer:
			rt = t.next
		case dateObserver:
			rt = t.next
		case interface{ CloseIdleConnections() }:
			t.CloseIdleConnections()
			return
		default:
			return
		}
	}
}

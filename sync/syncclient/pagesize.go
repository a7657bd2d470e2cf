package syncclient

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"

	"github.com/gansu-credit/credit/sync/protocol"
)

// Adaptive page size (sync.md §2.10, §3 F8). On a slow link a page that
// cannot arrive within RequestTimeout would time out again and again; so
// the client halves the page size it asks for (the limit parameter) when
// a page times out or arrives cut short, and grows it by a quarter after
// each page that arrives whole, never above Config.PageLimit nor the
// platform's page_limit from hello. A page that timed out is asked for
// again at once with the smaller size, a few times per round, so a round
// on a slow link still makes progress; a page cut short fails the round
// as before (the next round asks with the smaller size).

// maxShrinkRetries bounds the in-round retries of a page that timed out.
const maxShrinkRetries = 6

// errPageTimeout marks a page request that ran out of time.
var errPageTimeout = errors.New("page request timed out")

// pageSize is the current page size asked for; 0 leaves it to the server.
type pageSize struct {
	mu     sync.Mutex
	cur    int
	config int // Config.PageLimit; 0: the server's default
	server int // hello's page_limit; 0 while unknown
}

// get returns the limit to ask for (0: none).
func (p *pageSize) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur
}

// ceiling is the most the client asks for; 0 when unknown (the server's
// default).
func (p *pageSize) ceiling() int {
	switch {
	case p.config > 0 && p.server > 0:
		return min(p.config, p.server)
	case p.config > 0:
		return p.config
	}
	return p.server
}

// setServer records the platform's page limit from hello.
func (p *pageSize) setServer(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.server = max(n, 0)
	if c := p.ceiling(); c > 0 && (p.cur == 0 || p.cur > c) {
		p.cur = c
	}
}

// shrink halves the size after a page that timed out or came cut short.
func (p *pageSize) shrink() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	base := p.cur
	if base == 0 {
		base = p.ceiling()
	}
	if base == 0 {
		base = protocol.DefaultPageLimit
	}
	p.cur = max(base/2, 1)
	return p.cur
}

// grow adds a quarter after a page that arrived whole.
func (p *pageSize) grow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == 0 {
		return
	}
	p.cur += max(p.cur/4, 1)
	c := p.ceiling()
	switch {
	case c > 0 && p.cur >= c:
		p.cur = c
	case c == 0 && p.cur >= protocol.DefaultPageLimit:
		p.cur = 0 // back to the server's default
	}
}

// PageLimit returns the page size the client asks for now (0: the
// platform's default).
func (c *Client) PageLimit() int { return c.size.get() }

// slowLink classifies a failed page request: timedOut when it ran out of
// time (its own deadline, not the caller's), short when the body ended
// early. Either shrinks the page size.
func (c *Client) slowLink(parent, req context.Context, err error) (timedOut bool) {
	var ne net.Error
	timedOut = parent.Err() == nil && (errors.Is(req.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout())
	short := errors.Is(err, io.ErrUnexpectedEOF)
	if timedOut || short {
		n := c.size.shrink()
		c.log.Warn("slow link: smaller pages", "limit", n, "timeout", timedOut)
	}
	return timedOut
}

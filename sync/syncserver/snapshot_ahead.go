package syncserver

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Snapshot read-ahead. A device pages a snapshot by asking for the page
// after the last key of the one it has (the trailer's token and after=),
// so once a full page is served the next request is known: the server
// reads and compresses that page at once, while the device is still
// receiving and applying the one it has, and answers the request from it
// when it comes. Serving it is as correct as reading it then: every page
// is read at or after the snapshot's start S0, and the feed from S0
// replays whatever changed meanwhile, whenever the page was read. The
// request is verified as always (device, token, epoch, scope) before a
// read-ahead page is looked at; a request for anything else (another
// limit, key, token or encoding) drops it and is served afresh.
//
// Memory and work are bounded: one page per device, at most
// two being read at once (they use the read pool that pulls use too),
// at most 64 MiB held, and a page nobody asked for within aheadTTL is
// dropped by the next start (or by Close).

// The bounds when readAhead's own are zero.
const (
	defaultAheadRunning = 2
	defaultAheadBytes   = 64 << 20
	aheadTTL            = time.Minute
)

// aheadKey is what a snapshot page depends on besides the data.
type aheadKey struct {
	device, token, after, encoding string
	limit                          int
}

// aheadPage is a page being read ahead, or read: done is closed when body
// (compressed with the key's encoding) or err is set.
type aheadPage struct {
	key     aheadKey
	started time.Time
	cancel  context.CancelFunc
	done    chan struct{}
	body    []byte
	n       int
	last    string // the page's last key: after= of the page that follows
	err     error
}

// readAhead holds the pages read ahead, one per device.
type readAhead struct {
	maxRunning int   // defaultAheadRunning when 0
	maxBytes   int64 // defaultAheadBytes when 0

	mu      sync.Mutex
	pages   map[string]*aheadPage // by device
	running int
	bytes   int64 // held by finished pages
	closed  bool
	wg      sync.WaitGroup

	hits, misses atomic.Int64 // for tests and logs
}

// take removes and returns device's page when it has key; any other page
// of device is dropped.
func (a *readAhead) take(key aheadKey) *aheadPage {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pages[key.device]
	if p == nil {
		return nil
	}
	if p.key != key {
		a.dropLocked(p)
		a.misses.Add(1)
		return nil
	}
	delete(a.pages, key.device)
	select {
	case <-p.done:
		a.bytes -= int64(len(p.body))
	default: // its reader does not count it when it ends
	}
	a.hits.Add(1)
	return p
}

// wait returns the page once read, or ctx's error. The caller owns p.
func (p *aheadPage) wait(ctx context.Context) error {
	defer p.cancel()
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dropLocked forgets p, cancelling it if it is still being read.
func (a *readAhead) dropLocked(p *aheadPage) {
	delete(a.pages, p.key.device)
	p.cancel()
	select {
	case <-p.done:
		a.bytes -= int64(len(p.body))
	default: // its reader no longer counts it when it ends
	}
}

// start reads the page of key in the background with read (which
// returns the compressed body and its rows), unless the bounds say no.
// now is the server clock.
func (a *readAhead) start(key aheadKey, now time.Time, read func(ctx context.Context) (body []byte, n int, last string, err error)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	for _, p := range a.pages { // expire pages nobody asked for
		if now.Sub(p.started) > aheadTTL {
			a.dropLocked(p)
		}
	}
	if old := a.pages[key.device]; old != nil {
		a.dropLocked(old)
	}
	if a.running >= cmp.Or(a.maxRunning, defaultAheadRunning) || a.bytes >= cmp.Or(a.maxBytes, defaultAheadBytes) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &aheadPage{key: key, started: now, cancel: cancel, done: make(chan struct{})}
	if a.pages == nil {
		a.pages = map[string]*aheadPage{}
	}
	a.pages[key.device] = p
	a.running++
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		body, n, last, err := read(ctx)
		a.mu.Lock()
		defer a.mu.Unlock()
		a.running--
		p.body, p.n, p.last, p.err = body, n, last, err
		if a.pages[key.device] == p { // still held: its bytes count
			a.bytes += int64(len(body))
		}
		close(p.done)
	}()
}

// close cancels the pages being read and waits for their readers; no
// page is read ahead after it.
func (a *readAhead) close() {
	a.mu.Lock()
	a.closed = true
	for _, p := range a.pages {
		a.dropLocked(p)
	}
	a.mu.Unlock()
	a.wg.Wait()
}

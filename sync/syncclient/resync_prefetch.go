package syncclient

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/gansu-credit/credit/sync/protocol"
)

// snapshotDepth is how many decoded snapshot pages the pipeline may hold
// ready for the apply loop.
const snapshotDepth = 3

// snapshotPrefetch keeps resync's apply loop fed during a snapshot. A
// page is asked for by the token and after key of the page before it, so
// requests are sequential; what the pipeline overlaps is everything else.
// Two goroutines run ahead of the apply loop:
//
//   - the fetcher requests a page, reads its body whole, takes the next
//     page's token and after key from the body's trailer line
//     (protocol.PeekTrailer, not yet verified) and at once requests that
//     page, so the platform prepares page n+1 while page n is decoded;
//   - the decoder decodes and verifies each body in order (hash, count,
//     every line), on its own goroutine, not the apply loop's, and hands
//     the page on with the query it was asked for by.
//
// Bound: at most depth decoded pages wait for the apply loop and one more
// is in the decoder's hands; at most two bodies are held (one being
// decoded or waiting for the decoder, one being read) and one spare
// buffer: depth+1 decoded pages and three page buffers beside the page
// being applied. A body's buffer is reused for a later page once its page
// is decoded (nothing decoded refers to it).
//
// Guarantees (as with the single-page prefetch before it):
//   - resync takes a page from the pipeline only when the progress
//     ApplySnapshotPage saved names exactly the query the page was asked
//     for; otherwise (an apply that failed, a restarted snapshot) the
//     pipeline is stopped and its pages dropped: nothing is applied from
//     a page the apply loop did not ask for. A trailer that lied about
//     the next key only costs a dropped page.
//   - pages come out in the order they were asked for (there is never
//     more than one request in flight); an error (request, read, decode,
//     verification) comes out in place of the page it belongs to and
//     nothing after it comes out. Nothing is asked for after a failed
//     request; after a page that fails verification at most the one page
//     its trailer named was already asked for, and is dropped.
//   - trust lists and calendars on a page read ahead are handed to their
//     sinks by the decoder, as they were by the one-page prefetch before:
//     they are signed and checked on their own, whatever page carries
//     them.
//   - stop (deferred by resync, and called whenever the pipeline is
//     dropped) cancels both goroutines and waits for them: none outlives
//     resync, whatever the way out (failed apply, ctx cancelled).
type snapshotPrefetch struct {
	c     *Client
	depth int // 0: snapshotDepth; < 0: no prefetch at all
	run   *pipelineRun
}

// pipelineRun is one pipeline, started after one page.
type pipelineRun struct {
	next   string // the query of the page the apply loop would take next
	out    chan pageResult
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// pageResult is a page (or the error in its place) with the query it was
// asked for by.
type pageResult struct {
	key  string
	page *protocol.Page
	err  error
}

// snapshotQuery is the query of the snapshot page after (token, after).
func snapshotQuery(token, after string) url.Values {
	q := url.Values{}
	if token != "" {
		q.Set("token", token)
	}
	if after != "" {
		q.Set("after", after)
	}
	return q
}

// fetch returns the page for q: the pipeline's next page when it was asked
// for with the same query; otherwise the pipeline is dropped and a new
// one starts at q.
func (p *snapshotPrefetch) fetch(ctx context.Context, q url.Values) (*protocol.Page, error) {
	if p.depth < 0 {
		return p.c.fetchPage(ctx, protocol.PathSnapshot, q)
	}
	key := q.Encode()
	if r := p.run; r == nil || r.next != key {
		p.stop()
		p.start(ctx, q)
	}
	r := p.run
	select {
	case res, ok := <-r.out:
		if ok && res.key == key {
			r.next = ""
			if res.err == nil && res.page.More {
				r.next = snapshotQuery(res.page.Token, res.page.After).Encode()
			}
			return res.page, res.err
		}
		// The pipeline ended early or went another way (a trailer
		// that lied about the next key): drop it, ask for q alone.
		p.stop()
		return p.c.fetchPage(ctx, protocol.PathSnapshot, q)
	case <-ctx.Done():
		p.stop()
		return nil, fmt.Errorf("syncclient: pull: %w", ctx.Err())
	}
}

// start starts a pipeline at q.
func (p *snapshotPrefetch) start(ctx context.Context, q url.Values) {
	depth := p.depth
	if depth == 0 {
		depth = snapshotDepth
	}
	pctx, cancel := context.WithCancel(ctx)
	r := &pipelineRun{next: q.Encode(), out: make(chan pageResult, depth), cancel: cancel}
	bodies := make(chan rawResult)
	free := make(chan []byte, 1) // a body's buffer, back from the decoder
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		p.c.fetchAhead(pctx, q, bodies, free)
	}()
	go func() {
		defer r.wg.Done()
		p.c.decodeAhead(pctx, cancel, bodies, r.out, free)
	}()
	p.run = r
}

// stop cancels the pipeline and waits for its goroutines; its pages are
// dropped.
func (p *snapshotPrefetch) stop() {
	if r := p.run; r != nil {
		p.run = nil
		r.cancel()
		r.wg.Wait()
	}
}

// rawResult is a body read whole (or the error in its place).
type rawResult struct {
	key string
	raw rawPage
	err error
}

// fetchAhead is the fetcher: it requests the page for q and then, by each
// body's trailer, the page after it, handing the bodies to the decoder in
// order, until a page without more, an error or a cancelled ctx. It
// closes bodies when it ends.
func (c *Client) fetchAhead(ctx context.Context, q url.Values, bodies chan<- rawResult, free <-chan []byte) {
	defer close(bodies)
	for {
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		key := q.Encode()
		after := q.Get("after")
		raw, err := c.fetchBody(ctx, protocol.PathSnapshot, q, buf)
		var t protocol.Trailer
		var ok bool
		if err == nil {
			t, ok = protocol.PeekTrailer(raw.body) // before the decoder owns the body
		}
		select {
		case bodies <- rawResult{key: key, raw: raw, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil || !ok || !t.More || t.Token == "" || t.After == after {
			return // the decoder reports what is wrong with this page, if anything
		}
		q = snapshotQuery(t.Token, t.After)
	}
}

// decodeAhead is the decoder: it decodes and verifies each body in order
// and hands the page (or its error) to out. After an error it cancels
// the pipeline, so nothing is fetched after a failed page. It closes out
// when it ends.
func (c *Client) decodeAhead(ctx context.Context, cancel context.CancelFunc, bodies <-chan rawResult, out chan<- pageResult, free chan<- []byte) {
	defer close(out)
	for b := range bodies {
		res := pageResult{key: b.key, err: b.err}
		if res.err == nil {
			res.page, res.err = c.pageFromBody(ctx, b.raw)
			select {
			case free <- b.raw.body[:0]: // the page keeps no reference to it
			default:
			}
		}
		select {
		case out <- res:
		case <-ctx.Done():
			return
		}
		if res.err != nil {
			cancel()
			return
		}
	}
}

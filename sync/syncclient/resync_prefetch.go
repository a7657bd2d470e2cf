package syncclient

import (
	"context"
	"net/url"

	"github.com/gansu-credit/credit/sync/protocol"
)

// snapshotPrefetch fetches the next snapshot page while the current one
// is written to the store, so that the platform's encoding, the transfer
// and the decoding of page n+1 overlap the writing of page n (a bootstrap
// of a million records spends about as long on each). A page is asked for
// by the token and after key of the page before it, which are exactly the
// progress ApplySnapshotPage saves; resync takes the prefetched page only
// when the saved progress names the same key, and otherwise (an apply
// that failed, a restarted snapshot, a smaller page size) drops it and
// fetches afresh. Nothing is applied from a prefetched page that resync
// does not take.
//
// Goroutine lifetime: at most one fetch runs at a time; it ends with its
// request, and stop (deferred by resync) cancels it and waits for it.
type snapshotPrefetch struct {
	c    *Client
	next *pendingPage
}

// pendingPage is one fetch in flight.
type pendingPage struct {
	key    string // snapshotQuery(...).Encode()
	cancel context.CancelFunc
	done   chan struct{}
	page   *protocol.Page // set before done closes
	err    error          // set before done closes
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

// fetch returns the page for q: the prefetched one when it was asked for
// with the same query, otherwise one fetched now.
func (p *snapshotPrefetch) fetch(ctx context.Context, q url.Values) (*protocol.Page, error) {
	if n := p.next; n != nil && n.key == q.Encode() {
		p.next = nil
		select {
		case <-n.done:
		case <-ctx.Done():
			n.cancel()
			<-n.done
		}
		n.cancel()
		return n.page, n.err
	}
	p.stop()
	return p.c.fetchPage(ctx, protocol.PathSnapshot, q)
}

// start fetches, in the background, the page after page (if it has more).
func (p *snapshotPrefetch) start(ctx context.Context, page *protocol.Page) {
	p.stop()
	if !page.More {
		return
	}
	q := snapshotQuery(page.Token, page.After)
	fctx, cancel := context.WithCancel(ctx)
	n := &pendingPage{key: q.Encode(), cancel: cancel, done: make(chan struct{})}
	p.next = n
	go func() {
		defer close(n.done)
		n.page, n.err = p.c.fetchPage(fctx, protocol.PathSnapshot, q)
	}()
}

// stop cancels a fetch in flight and waits for it.
func (p *snapshotPrefetch) stop() {
	if n := p.next; n != nil {
		p.next = nil
		n.cancel()
		<-n.done
	}
}

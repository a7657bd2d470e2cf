package syncclient

import (
	"errors"
	"fmt"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// errStalePage is a page that cannot answer the request it came back
// for: an old page replayed by a cache or a proxy (sync.md §3 F20).
// Nothing of it is applied and the cursor stays; the next attempt asks
// again.
func errStalePage() error {
	return credit.Errorf(credit.EUNAVAILABLE, "收到过期的平台数据页，未予采用，稍后重试。",
		"A stale data page came back from the platform; it was not applied and will be asked for again.")
}

// errStale is wrapped by checkNotStale's errors.
var errStale = errors.New("stale page")

// checkNotStale refuses a change page that cannot follow cur, the cursor
// it was asked for, so a replayed page never rewinds the cursor nor
// regresses data (invariant I5). The platform serves only ops after the
// cursor's seq, in the cursor's epoch, and never moves a cursor back; so
// within cur's epoch a page whose next cursor lies below cur, or that
// holds an op at or below cur's seq, is stale, and so is a page whose
// next cursor is of another epoch (the platform answers 410 for a cursor
// of another epoch instead of serving a page). The cursor is signed by
// the platform and only read here: a cursor the client cannot read is
// not judged.
func checkNotStale(cur string, page *protocol.Page) error {
	from, err := protocol.PeekCursor(cur)
	if err != nil || cur == "" {
		return nil
	}
	if next, err := protocol.PeekCursor(page.Next); err == nil {
		if next.Epoch != from.Epoch {
			return fmt.Errorf("%w: its next cursor is of another epoch than the one asked with", errStale)
		}
		if next.Seq < from.Seq {
			return fmt.Errorf("%w: its next cursor (seq %d) is behind the one asked with (seq %d)", errStale, next.Seq, from.Seq)
		}
	}
	for _, ch := range page.Changes {
		if ch.Seq <= from.Seq {
			return fmt.Errorf("%w: it holds seq %d, not after the cursor's %d", errStale, ch.Seq, from.Seq)
		}
	}
	for _, q := range page.Quarantined {
		if q.Seq <= from.Seq {
			return fmt.Errorf("%w: it holds seq %d, not after the cursor's %d", errStale, q.Seq, from.Seq)
		}
	}
	return nil
}

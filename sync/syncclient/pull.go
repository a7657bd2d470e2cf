package syncclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/sync/protocol"
)

// maxPagesPerRound stops a round that would never end (a server that keeps
// saying more).
const maxPagesPerRound = 100000

// maxResyncsPerRound bounds how often one round starts a resync over.
const maxResyncsPerRound = 2

// resyncError is a 410 resync_required answer.
type resyncError struct{ reason string }

func (e *resyncError) Error() string { return "resync required: " + e.reason }

// pull finishes an unfinished resync (or bootstraps an empty cache from a
// snapshot), then fetches change pages after the saved cursor until
// more=false. A 410 from /changes starts a resync from
// a snapshot and the pull continues from its cursor.
func (c *Client) pull(ctx context.Context, res *Result) error {
	for resyncs := 0; ; resyncs++ {
		_, _, active, err := c.cfg.Applier.SnapshotProgress(ctx)
		if err != nil {
			return fmt.Errorf("syncclient: read resync progress: %w", err)
		}
		if !active && resyncs == 0 {
			// An empty cache bootstraps from a snapshot (resync_bootstrap.go).
			if active, err = c.bootstrap(ctx); err != nil {
				return err
			}
		}
		if active {
			if err := c.resync(ctx, res); err != nil {
				return err
			}
		}
		err = c.pullChanges(ctx, res)
		var rr *resyncError
		if !errors.As(err, &rr) {
			return err
		}
		if resyncs >= maxResyncsPerRound {
			return fmt.Errorf("syncclient: pull: %w: %w", errResyncLoop(), err)
		}
		c.log.Warn("platform requires a resync", "reason", rr.reason)
		if err := c.redeliverLost(ctx, rr.reason, res); err != nil {
			return err
		}
		if err := c.cfg.Applier.BeginSnapshot(ctx); err != nil {
			return fmt.Errorf("syncclient: begin resync: %w", err)
		}
		res.Resyncs++
	}
}

// pullChanges applies change pages after the saved cursor. A page is
// applied, with its cursor, only after it decoded and verified; otherwise
// nothing is applied and the cursor stays.
func (c *Client) pullChanges(ctx context.Context, res *Result) error {
	cur, err := c.cfg.Applier.Cursor(ctx)
	if err != nil {
		return fmt.Errorf("syncclient: read cursor: %w", err)
	}
	shrinks := 0
	c.startCount()
	for range maxPagesPerRound {
		c.progress(PhasePull, res, nil)
		q := url.Values{}
		if cur != "" {
			q.Set("cursor", cur)
		}
		page, err := c.fetchPage(ctx, protocol.PathChanges, q)
		if errors.Is(err, errPageTimeout) && shrinks < maxShrinkRetries {
			shrinks++ // asked again at once, with a smaller page (pagesize.go)
			continue
		}
		if err != nil {
			return err
		}
		if err := checkNotStale(cur, page); err != nil {
			c.log.Warn("stale page refused", "err", err)
			return fmt.Errorf("syncclient: pull: %w: %w", errStalePage(), err)
		}
		failpoint.Hit("syncclient.pull.page-read") // F13: a verified page read, nothing applied
		if err := c.quarantine(ctx, page, res); err != nil {
			return err
		}
		if err := c.cfg.Applier.ApplyPage(ctx, page.Changes, page.Next, page.AsOf); err != nil {
			return fmt.Errorf("syncclient: apply page: %w", err)
		}
		c.count(page, res)
		c.advance(page) // progress.go
		for _, ch := range page.Changes {
			res.AppliedThroughSeq = max(res.AppliedThroughSeq, ch.Seq)
		}
		res.AsOf, res.Cursor = page.AsOf, page.Next
		if !page.More {
			return nil
		}
		if page.Next == cur {
			return fmt.Errorf("syncclient: pull: %w: the server's cursor did not advance", errBadPage())
		}
		cur = page.Next
	}
	return fmt.Errorf("syncclient: pull: %w: more than %d pages in one round", errBadPage(), maxPagesPerRound)
}

// resync runs (or continues) a snapshot to its end and sweeps what it did
// not hold. The outbox is pushed first, so applications captured offline
// reach the platform before anything else happens.
func (c *Client) resync(ctx context.Context, res *Result) error {
	if err := c.push(ctx, res); err != nil {
		c.log.Warn("push before resync failed; resync goes on", "err", err)
	}
	restarts, shrinks := 0, 0
	c.startCount()
	pf := &snapshotPrefetch{c: c} // resync_prefetch.go
	defer pf.stop()
	for range maxPagesPerRound {
		token, after, _, err := c.cfg.Applier.SnapshotProgress(ctx)
		if err != nil {
			return fmt.Errorf("syncclient: read resync progress: %w", err)
		}
		c.progress(PhaseResync, res, nil)
		page, err := pf.fetch(ctx, snapshotQuery(token, after))
		if errors.Is(err, errPageTimeout) && shrinks < maxShrinkRetries {
			shrinks++
			continue
		}
		var rr *resyncError
		if errors.As(err, &rr) && restarts < maxResyncsPerRound {
			// The snapshot itself is gone (epoch rotated meanwhile): start over.
			restarts++
			c.log.Warn("snapshot refused; starting it over", "reason", rr.reason)
			if err := c.redeliverLost(ctx, rr.reason, res); err != nil {
				return err
			}
			if err := c.push(ctx, res); err != nil {
				c.log.Warn("push before resync failed; resync goes on", "err", err)
			}
			if err := c.cfg.Applier.BeginSnapshot(ctx); err != nil {
				return fmt.Errorf("syncclient: begin resync: %w", err)
			}
			c.startCount()
			continue
		} else if err != nil {
			return err
		}
		if page.Token == "" || (page.More && page.After == after) {
			return fmt.Errorf("syncclient: resync: %w: the snapshot did not advance", errBadPage())
		}
		if err := c.quarantine(ctx, page, res); err != nil {
			return err
		}
		if err := c.cfg.Applier.ApplySnapshotPage(ctx, page.Changes, page.Token, page.After); err != nil {
			return fmt.Errorf("syncclient: apply snapshot page: %w", err)
		}
		c.count(page, res)
		c.advance(page) // progress.go
		if page.More {
			continue
		}
		swept, err := c.cfg.Applier.FinishSnapshot(ctx, page.Next, page.SnapshotSeq, page.AsOf)
		if err != nil {
			return fmt.Errorf("syncclient: finish resync: %w", err)
		}
		res.Swept += swept
		res.AppliedThroughSeq = max(res.AppliedThroughSeq, page.SnapshotSeq)
		res.AsOf, res.Cursor = page.AsOf, page.Next
		c.log.Info("resync done", "swept", swept, "snapshot_seq", page.SnapshotSeq)
		return nil
	}
	return fmt.Errorf("syncclient: resync: %w: more than %d pages in one round", errBadPage(), maxPagesPerRound)
}

// quarantine hands the page's undecodable puts to the store.
func (c *Client) quarantine(ctx context.Context, page *protocol.Page, res *Result) error {
	for _, q := range page.Quarantined {
		if err := c.cfg.Applier.Quarantine(ctx, q.Seq, q.Type, q.ID, q.Ver, q.Data, q.Reason); err != nil {
			return fmt.Errorf("syncclient: quarantine: %w", err)
		}
		c.log.Warn("put quarantined", "type", q.Type, "seq", q.Seq)
		res.Quarantined++
	}
	return nil
}

func (c *Client) count(page *protocol.Page, res *Result) {
	res.Pages++
	res.Bytes += int64(page.Size)
	res.Skipped += page.Skipped
	for _, ch := range page.Changes {
		res.Applied++
		if ch.Op == credit.OpDel {
			res.Deleted++
		}
	}
}

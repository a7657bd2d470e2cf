package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
)

// pageCheckpointer moves the WAL checkpoints of a snapshot's pages off the
// critical path. A page's transaction commits with autocheckpoint off on
// its connection (ApplySnapshotPage), then kick starts a PASSIVE checkpoint
// on another pooled connection in a goroutine, which copies the page into
// the database file on the other core while the next page is decoded and
// written; PASSIVE takes no writer lock, so the two do not wait on each
// other. Without it SQLite's autocheckpoint ran inside every page's commit.
//
// The WAL can only start over (be rewritten from its beginning instead of
// growing) when a write transaction begins with every frame checkpointed,
// so once it holds more than walSoftLimit bytes, catchUp makes the next
// page wait for the checkpoint running (and so when pages run
// maxPagesAhead ahead of it, as the WAL's size is known only after each). The crash guarantees do not
// change: a page and its progress commit together in the WAL, and a
// checkpoint only copies committed frames. FinishSnapshot stops it (wait)
// and ends with the TRUNCATE checkpoint as before.
//
// Goroutine lifetime: at most one goroutine runs, started by kick; it
// checkpoints until no page committed during its last run and then exits,
// so between bootstraps, after a cut-off snapshot, and after wait returns,
// nothing is left running.
type pageCheckpointer struct {
	db  *sql.DB
	log *slog.Logger

	limit int64 // walSoftLimit; lower in tests

	mu      sync.Mutex
	idle    *sync.Cond // signalled when running turns false
	running bool
	again   bool  // a page committed while a checkpoint ran
	ahead   int   // pages committed since the running checkpoint began
	walSize int64 // WAL bytes the last checkpoint saw (frames × page size)
	page    int64 // the database's page size, read once (it never changes)
	runs    int   // checkpoints run (tests)
}

// walSoftLimit is the WAL size (bytes) above which the next snapshot page
// waits for the running checkpoint, so that its commit starts the WAL
// over: the WAL of a bootstrap stays below this plus one page of
// records, not the size of the whole snapshot.
const walSoftLimit = 64 << 20

func newPageCheckpointer(db *sql.DB, log *slog.Logger) *pageCheckpointer {
	c := &pageCheckpointer{db: db, log: log, limit: walSoftLimit}
	c.idle = sync.NewCond(&c.mu)
	return c
}

// kick asks for a checkpoint of everything committed so far: it starts the
// goroutine, or has the running one go once more.
func (c *pageCheckpointer) kick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		c.again = true
		c.ahead++
		return
	}
	c.running = true
	go c.run()
}

func (c *pageCheckpointer) run() {
	for {
		size, err := c.passive(context.Background())
		if err != nil {
			// A failed checkpoint costs WAL size, not data: the next
			// page's or FinishSnapshot's checkpoint copies the frames.
			c.log.Warn("store: snapshot page checkpoint failed", "err", err)
		}
		c.mu.Lock()
		c.runs++
		if err == nil {
			c.walSize = size
		}
		if !c.again {
			c.running = false
			c.idle.Broadcast()
			c.mu.Unlock()
			return
		}
		c.again, c.ahead = false, 0
		c.mu.Unlock()
	}
}

// passive runs one PASSIVE checkpoint on a pooled connection and returns
// the WAL's size then. It never waits on a lock.
func (c *pageCheckpointer) passive(ctx context.Context) (int64, error) {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	defer conn.Close()
	var busy, frames, done int64
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &done); err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	if c.page == 0 { // only the one running goroutine touches it
		if err := conn.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&c.page); err != nil {
			return 0, fmt.Errorf("checkpoint: %w", err)
		}
	}
	return frames * c.page, nil
}

// maxPagesAhead is how many pages may commit while one checkpoint runs
// before the next page waits for it: the WAL's size is only learnt when a
// checkpoint ends, so this bounds how far it grows past the last figure.
const maxPagesAhead = 4

// catchUp waits for the running checkpoint when the WAL has grown past
// the soft limit, so that the next commit rewrites the WAL from its start,
// or when pages run maxPagesAhead ahead of it.
func (c *pageCheckpointer) catchUp() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.walSize > c.limit || c.ahead >= maxPagesAhead {
		for c.running {
			c.idle.Wait()
		}
	}
}

// wait returns when no checkpoint runs: every page committed before it is
// checkpointed (unless a reader held the WAL) and no goroutine is left.
func (c *pageCheckpointer) wait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.running {
		c.idle.Wait()
	}
}

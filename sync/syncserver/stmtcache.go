package syncserver

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache prepares each query of the pull path once on its pool and
// reuses it: database/sql keeps a prepared copy per connection. Parsing
// and planning the same four statements on every request was ≈ 30 % of
// the server's CPU under 2,000 pulling devices (docs/benchmarks.md), and
// CPU is what the tail waits for on 2 shared cores.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// cached returns the prepared statement of query, or nil.
func (c *stmtCache) cached(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// stmt returns the prepared statement of query, preparing it on first
// use; nil when it cannot be prepared (the caller then runs the query
// unprepared, which reports the error). Preparing takes a connection of
// the pool: never call it while holding one (a transaction), or a full
// pool waits for itself; transactions use cached.
func (c *stmtCache) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := c.cached(query); st != nil {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query) // without c.mu: it waits for a connection
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had := c.m[query]; had != nil { // prepared meanwhile by another request
		st.Close()
		return had
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// QueryRowContext runs query prepared on the pool.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, query, args...)
}

// QueryContext runs query prepared on the pool.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, query, args...)
}

// cachedTx is a transaction of the pool whose queries use the cache's
// prepared statements: those prepared before (readTx's caller prepares
// them with prepare, outside the transaction); the others run unprepared.
type cachedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

// QueryRowContext runs query in the transaction, prepared.
func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.c.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs query in the transaction, prepared.
func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.c.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// prepare prepares queries (errors are left to their first use).
func (c *stmtCache) prepare(ctx context.Context, queries ...string) {
	for _, q := range queries {
		c.stmt(ctx, q)
	}
}

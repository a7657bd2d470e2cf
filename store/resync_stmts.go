package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// bulkStmts keeps the multi-row statements of snapshot pages prepared on
// the pool from one page to the next. A page's transaction takes them with
// Tx.StmtContext, which reuses the statement already prepared on its
// connection: parsing an INSERT of snapBatch rows (3,500 parameters) for
// every page of a bootstrap cost ≈ 6 % of the pages. FinishSnapshot and
// Close close them.
type bulkStmts struct {
	db *sql.DB

	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the pool statement of query, preparing it on first use.
func (s *bulkStmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.m[query]; st != nil {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if s.m == nil {
		s.m = map[string]*sql.Stmt{}
	}
	s.m[query] = st
	return st, nil
}

// close closes every statement; the next get prepares anew.
func (s *bulkStmts) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for q, st := range s.m {
		st.Close()
		delete(s.m, q)
	}
}

// prepared reports how many statements are held (tests).
func (s *bulkStmts) prepared() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

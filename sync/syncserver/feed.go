package syncserver

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// querier is what a read needs of *sql.DB, *sql.Tx or *sql.Conn.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// feedState is what serving a /changes request needs to know besides the
// page itself, read in one statement: the epoch, the change-log head,
// the compaction floor and the device's scope.
type feedState struct {
	epoch string
	head  int64 // highest seq handed out (headSeq)
	floor int64 // seq of the newest compacted tombstone (floorSeq)
	scope scope // the device's scope (scope.go); everything when unset
}

// feedStateQuery reads a feedState (arg: device).
const feedStateQuery = `SELECT
		(SELECT v FROM meta WHERE k = 'epoch'),
		COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0),
		(SELECT v FROM meta WHERE k = 'floor_seq'),
		(SELECT scope FROM device_keys WHERE id = ?)`

// readFeedState reads the feed state for device. Run in the read-only
// transaction that also reads the page, it sees one committed state.
func readFeedState(ctx context.Context, q querier, device string) (feedState, error) {
	var st feedState
	var floor, sc sql.NullString
	err := q.QueryRowContext(ctx, feedStateQuery, device).Scan(&st.epoch, &st.head, &floor, &sc)
	if err != nil {
		return st, fmt.Errorf("read feed state: %w", err)
	}
	if floor.Valid {
		if st.floor, err = strconv.ParseInt(floor.String, 10, 64); err != nil {
			return st, fmt.Errorf("floor seq %q: %w", floor.String, err)
		}
	}
	st.scope = parseScope(sc.String)
	return st, nil
}

// readTx runs fn in a read-only transaction on the read pool, so that
// every query of fn sees the same committed state; q prepares each query
// once (stmtcache.go).
func (s *Server) readTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	return fn(cachedTx{tx: tx, c: &s.rstmts})
}

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"sync"
)

// nameBuild builds the name index of a bootstrap (a snapshot into an empty
// cache) beside the cache while the snapshot's record pages are written:
// ApplySnapshotPage hands it the organisations of each committed page;
// at the first page with records and no subject (the subject phase is
// over) a goroutine writes their grams, sorted, into a scratch database
// file (auxPath) and indexes it there; FinishSnapshot waits for it and
// copies the finished table into name_grams with SQLite's transfer
// optimisation (raw rows, no per-row re-encoding) instead of rebuilding
// the index inside its own transaction.
//
// It is only an optimisation. It is used only when it saw every
// organisation of the snapshot: created by BeginSnapshot into an empty
// cache in this process, never given a subject after its goroutine
// started, and holding as many organisations as the subjects table when
// FinishSnapshot runs. Otherwise (a restarted terminal continuing a
// snapshot, a resync over a full cache, anything unexpected) FinishSnapshot
// rebuilds the index from subjects.search_name as before.
//
// Goroutine lifetime: the builder goroutine starts at most once, writes
// only the scratch file and exits when the index is built, on an error,
// or when stop cancels it (BeginSnapshot of another snapshot, FinishSnapshot,
// Close); stop waits for it and removes the scratch file.
type nameBuild struct {
	gen     int64
	auxPath string

	mu      sync.Mutex
	orgs    []orgName // until the build starts; then the goroutine's
	spoiled bool      // a subject arrived after the build started, or too many orgs
	started bool

	cancel   context.CancelFunc
	done     chan struct{}
	distinct int   // organisations indexed (set before done closes)
	runes    int64 // their normalised names' total length (set before done closes)
	err      error // set before done closes
}

// orgName is one organisation as the name index sees it: its id and its
// normalised name (subjects.search_name).
type orgName struct{ id, search string }

// auxSuffix names the scratch file of a bootstrap's name index, next to
// the cache file.
const auxSuffix = "-namegrams"

func newNameBuild(gen int64, dbPath string) *nameBuild {
	return &nameBuild{gen: gen, auxPath: dbPath + auxSuffix, done: make(chan struct{})}
}

// add records the organisations of a committed snapshot page. A page with
// records and no subject ends the subject phase and starts the build.
func (b *nameBuild) add(orgs []orgName, subjects, records int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started {
		if subjects > 0 {
			b.spoiled = true
		}
		return
	}
	b.orgs = append(b.orgs, orgs...)
	if len(b.orgs) > maxBuildOrgs {
		b.spoiled = true
	}
	if subjects == 0 && records > 0 && !b.spoiled {
		b.startLocked()
	}
}

// startLocked starts the goroutine (b.mu held).
func (b *nameBuild) startLocked() {
	ctx, cancel := context.WithCancel(context.Background())
	b.started, b.cancel = true, cancel
	orgs := b.orgs
	b.orgs = nil
	go func() {
		defer close(b.done)
		b.distinct, b.runes, b.err = buildAuxNameIndex(ctx, b.auxPath, orgs)
	}()
}

// wait starts the build if no record page did and waits for it. It
// returns the scratch index, or one not ok when FinishSnapshot must
// rebuild the index itself.
func (b *nameBuild) wait(ctx context.Context) (*auxIndex, error) {
	b.mu.Lock()
	if b.spoiled {
		b.mu.Unlock()
		return &auxIndex{}, nil
	}
	if !b.started {
		b.startLocked()
	}
	b.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.err != nil {
		return nil, b.err
	}
	return &auxIndex{path: b.auxPath, orgs: b.distinct, runes: b.runes, ok: true}, nil
}

// stop cancels the goroutine, waits for it and removes the scratch file.
func (b *nameBuild) stop() {
	b.mu.Lock()
	started, cancel := b.started, b.cancel
	b.mu.Unlock()
	if started {
		cancel()
		<-b.done
	}
	removeAux(b.auxPath)
}

// removeAux removes a scratch name-index file and its journals.
func removeAux(path string) {
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			continue // best effort: a stale file is removed by the next bootstrap
		}
	}
}

// setNameBuild replaces the DB's builder (nil: none), stopping the old one.
func (d *DB) setNameBuild(b *nameBuild) {
	d.mu.Lock()
	old := d.nameBuild
	d.nameBuild = b
	d.mu.Unlock()
	if old != nil {
		old.stop()
	}
}

// currentNameBuild returns the builder of snapshot generation gen, or nil.
func (d *DB) currentNameBuild(gen int64) *nameBuild {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nameBuild == nil || d.nameBuild.gen != gen {
		return nil
	}
	return d.nameBuild
}

// auxIndex is what FinishSnapshot knows of a nameBuild's scratch index.
type auxIndex struct {
	path  string
	orgs  int   // distinct organisations it indexes
	runes int64 // the total length of their normalised names
	ok    bool  // built and attachable
	used  bool  // copied into name_grams (set by finishNameIndex)
}

// nameBuildFor waits for the nameBuild of the snapshot being finished, if
// any. A build that failed is logged and FinishSnapshot rebuilds the
// index itself; only a cancelled ctx is an error.
func (d *DB) nameBuildFor(ctx context.Context) (*auxIndex, error) {
	var gen int64
	var active bool
	err := d.db.QueryRowContext(ctx, `SELECT target_gen, active FROM resync_state WHERE id = 1`).Scan(&gen, &active)
	if err != nil || !active {
		return &auxIndex{}, nil // FinishSnapshot reports it in its transaction
	}
	b := d.currentNameBuild(gen)
	if b == nil {
		return &auxIndex{}, nil
	}
	a, err := b.wait(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("name index: %w", ctx.Err())
		}
		d.log.WarnContext(ctx, "store: name index built beside the cache failed; rebuilding it", "err", err)
		return &auxIndex{}, nil
	}
	return a, nil
}

// inAuxTx runs fn in a write transaction like inTx, on a connection with
// the scratch index attached as "aux" when a is ok. That connection is
// discarded afterwards, so no pooled connection keeps the attachment (or
// the bulk page cache).
func (d *DB) inAuxTx(ctx context.Context, a *auxIndex, fn func(tx *sql.Tx) error) error {
	// The bulk cache of ApplySnapshotPage ends with the snapshot on every
	// way out (onBulkConn, keep false).
	return d.onBulkConn(ctx, false, func(conn *sql.Conn) error {
		if a.ok {
			if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS aux`, "file:"+uriPath.Replace(a.path)+"?mode=ro"); err != nil {
				d.log.WarnContext(ctx, "store: name index built beside the cache cannot be attached; rebuilding it", "err", err)
				a.ok = false
			} else {
				defer func() {
					// close this connection, do not pool it with aux attached
					_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				}()
			}
		}
		return inTxOn(ctx, conn, fn)
	})
}

// finishNameIndex fills name_grams in FinishSnapshot's transaction: by
// copying the scratch index when it holds exactly the organisations the
// subjects table holds now (same count, same total name length), else by
// rebuildNameIndex. The copy is INSERT … SELECT * between identical
// tables into an empty one, which SQLite's transfer optimisation does
// row by raw row for the table and its index.
func finishNameIndex(ctx context.Context, tx *sql.Tx, a *auxIndex) error {
	if a.ok {
		var n int
		var runes int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(length(search_name)), 0) FROM subjects WHERE kind = 'legal_person'`).Scan(&n, &runes); err != nil {
			return fmt.Errorf("name index: %w", err)
		}
		if n == a.orgs && runes == a.runes {
			for _, q := range []string{`DELETE FROM main.name_grams`, `INSERT INTO main.name_grams SELECT * FROM aux.name_grams`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("name index copy: %w", err)
				}
			}
			a.used = true
			return nil
		}
	}
	return rebuildNameIndex(ctx, tx)
}

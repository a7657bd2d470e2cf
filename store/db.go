// Package store is the kiosk's local SQLite cache (modernc.org/sqlite, no
// cgo): subjects and records synced from the platform, a bigram name index
// for organisation search, the inquiry log, captured objections with their
// outbox, the sync cursor and content-free tombstones.
//
// *DB implements app.Records, app.InquiryLog, app.Applications,
// syncclient.Outbox and syncclient.Applier implicitly; this package imports
// neither.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
	now  func() time.Time
	log  *slog.Logger

	mu                sync.Mutex
	checkpointPending bool       // a deletion's WAL checkpoint has not completed yet
	nameBuild         *nameBuild // a bootstrap's name index built beside it (resync_namebuild.go)

	pageCkpt *pageCheckpointer // checkpoints snapshot pages beside the next one (resync_checkpoint.go)
	bulk     *bulkStmts        // the snapshot pages' statements, prepared once (resync_stmts.go)
}

// Option configures Open.
type Option func(*DB)

// WithNow sets the clock used for outbox, tombstone and update times.
func WithNow(now func() time.Time) Option { return func(d *DB) { d.now = now } }

// WithLogger sets the logger. It never receives names, ID numbers or
// record content.
func WithLogger(l *slog.Logger) Option { return func(d *DB) { d.log = l } }

// pragmas run on every pooled connection.
var pragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(ON)",
	"secure_delete(ON)",
	"synchronous(NORMAL)",
}

// dsn builds the driver DSN for path; write transactions begin IMMEDIATE so
// that concurrent writers wait on busy_timeout instead of failing on upgrade.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes the characters a SQLite file: URI would otherwise read
// as an escape, a query or a fragment.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")

// Open opens (creating if needed) the database at path and migrates it to
// the current schema. A database whose schema is newer than this program is
// refused with ErrSchemaTooNew.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	d := &DB{path: path, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(d)
	}
	// A process killed between a deletion's commit and its checkpoint left
	// the deleted content in the WAL: the first page applied checkpoints
	// (sync.md §3 F13, invariant I4; internal/e2e TestCrashAtFailpoints).
	d.checkpointPending = true
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		// Every pooled connection must see the same database, and erasure
		// is proven on files: a plain file path is required.
		return nil, fmt.Errorf("store: open %q: a database file path is required", path)
	}
	if err := createWithPageSize(ctx, path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	d.db = db
	d.pageCkpt = newPageCheckpointer(db, d.log)
	d.bulk = &bulkStmts{db: db}
	if err := pingBusy(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return d, nil
}

// Close closes the database. After a final WAL checkpoint SQLite removes the
// -wal and -shm files.
func (d *DB) Close() error {
	if d == nil || d.db == nil {
		return nil
	}
	d.setNameBuild(nil)
	d.pageCkpt.wait()
	d.bulk.close()
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Path is the database file's path.
func (d *DB) Path() string { return d.path }

// inTx runs fn in a write transaction, committing if it returns nil.
func (d *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTxOn(ctx, d.db, fn)
}

// txBeginner is a pool (*sql.DB) or one of its connections (*sql.Conn).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// inTxOn runs fn in a transaction begun on b, committed when fn returns
// nil and rolled back otherwise.
func inTxOn(ctx context.Context, b txBeginner, fn func(tx *sql.Tx) error) error {
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// nanos converts t to a nullable Unix-nanosecond value (zero = NULL).
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNanos converts a nullable Unix-nanosecond value to China time.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).In(china)
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// newFilePageSize is the page size (bytes) of a cache file Open creates.
// A snapshot of a million records then writes a quarter of the pages of
// SQLite's default 4096 (fewer pwrite and pread calls, shallower trees;
// its commits cost ≈ half the CPU), while a card's look-up costs the same
// (docs/benchmarks.md). An existing file keeps its page size: SQLite
// cannot change it in WAL mode.
const newFilePageSize = 16384

// createWithPageSize gives a new (absent or empty) database file its page
// size. The page size is fixed when the file's first page is written,
// which the switch to WAL does; the driver runs the DSN's pragmas in
// lexicographic order (journal_mode before page_size), so it is set here,
// on a connection of its own, before any pooled connection exists. Openers
// racing on the new file are harmless: the first to write page 1 fixes it.
func createWithPageSize(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?_pragma=busy_timeout(10000)&_pragma="+url.QueryEscape(fmt.Sprintf("page_size(%d)", newFilePageSize)))
	if err != nil {
		return fmt.Errorf("page size: %w", err)
	}
	defer db.Close()
	return retryBusy(ctx, func() error {
		var mode string
		if err := db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
			return fmt.Errorf("page size: %w", err)
		}
		return nil
	})
}

// pingBusy opens the first connection, whose pragmas switch a new file to
// WAL. SQLite answers that switch SQLITE_BUSY at once, without waiting on
// busy_timeout, while another process or opener holds the file (a kiosk
// and creditctl started together, or openers racing on a new file), so it
// is retried for as long as busy_timeout would have waited.
func pingBusy(ctx context.Context, db *sql.DB) error {
	return retryBusy(ctx, func() error { return db.PingContext(ctx) })
}

// retryBusy runs fn until it returns anything but SQLITE_BUSY, for at most
// busy_timeout's 10 s.
func retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fn()
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

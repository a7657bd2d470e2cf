// Package syncserver is the reference platform for the sync protocol
// (/sync/v1): an http.Handler backed by its own SQLite file. It serves the
// change feed with HMAC-signed opaque cursors, receives applications
// idempotently by client UUID, and has admin methods to seed subjects and
// records, withdraw records and move applications through their statuses.
// cmd/syncserver runs it; syncclient tests run it under httptest.
//
// Every mutation writes its change_log row in the same transaction, with
// the seq taken from SQLite's AUTOINCREMENT under the single writer lock,
// so no change becomes visible below a cursor already handed out. A change
// supersedes the older log rows of the same (type, id), which also removes
// a withdrawn record's personal data from the log.
//
// Tombstones stay in the log for the tombstone horizon (Compact drops
// older ones). A cursor below the newest dropped tombstone, of another
// epoch (RotateEpoch; run it after restoring the database from a backup),
// beyond the head or not verifying gets 410 resync_required, and the
// device resyncs from GET /snapshot. POST /ack records what each device
// applied; Devices reports each device's deletion lag.
package syncserver

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Options configure a Server. The zero value is usable except that no
// device may connect.
type Options struct {
	// Devices maps a bearer token to the device id it authenticates.
	// This is the legacy scheme: devices enrol an Ed25519 key (AddDevice,
	// POST /enroll) and sign their requests. Bearer tokens remain only as
	// a fallback for tests and migration, accepted only when configured
	// here; cmd/syncserver no longer configures any.
	Devices map[string]string
	// Now is the server clock; time.Now when nil.
	Now func() time.Time
	// Logger receives request and admin logs; discarded when nil.
	Logger *slog.Logger
	// PageLimit is the most ops per page (protocol.DefaultPageLimit when 0,
	// at most protocol.MaxPageLimit).
	PageLimit int
	// CursorKey is the HMAC key for cursors; when nil a key is generated
	// on first Open and kept in the database.
	CursorKey []byte
	// TombstoneHorizon is how long tombstones stay in the change log
	// (protocol.DefaultTombstoneHorizon when 0). Compact drops older ones;
	// a cursor from before the newest dropped tombstone gets 410.
	TombstoneHorizon time.Duration

	// Officers maps a bearer token to the platform officer it
	// authenticates on /platform/v1 (ops_http.go); device tokens never
	// work there, nor officer tokens on /sync/v1.
	Officers map[string]string
	// Calendar counts the working-day deadlines of the officer operations
	// (ops.go); credit.WeekendCalendar when nil.
	Calendar credit.Calendar

	// DeliveryFlushInterval is how often the tombstone delivery notes
	// queued by pulls are written (delivery.go);
	// DefaultDeliveryFlushInterval when 0.
	DeliveryFlushInterval time.Duration
	// ReadConns is the size of the read-only connection pool (WAL lets it
	// read while the writer writes) serving the change feed's reads
	// beside the one writer connection: DefaultReadConns when 0; negative
	// reads the feed on the writer connection. Under an open-loop load of
	// 400 pulls/s the pool kept p99 far lower; the single connection
	// sometimes fell behind for good (docs/benchmarks.md).
	ReadConns int
	// MaxBlobBytes caps an evidence file (blobs.go);
	// credit.MaxEvidenceBytes when 0.
	MaxBlobBytes int64
	// ReceiptKey signs every receipt answered (auth_receipt.go, sync.md
	// I6); receipts go unsigned when nil.
	ReceiptKey ed25519.PrivateKey
	// NoReadAhead turns off reading the next snapshot page while the
	// device fetches the one it asked for (snapshot_ahead.go).
	NoReadAhead bool
	// MmapSize is the PRAGMA mmap_size of the read pool's connections
	// (readpool.go): DefaultMmapSize when 0, off when negative.
	MmapSize int64
}

// DefaultReadConns is the read pool's size when Options.ReadConns is 0.
const DefaultReadConns = 4

// Server is the reference platform.
type Server struct {
	db *sql.DB // the one writer connection
	// rdb serves the hot read path of pulls: device keys, epoch, head,
	// floor and pages. It is db itself, or a pool of read-only
	// connections (Options.ReadConns). Each query sees a committed state.
	rdb        *sql.DB
	deliveries deliveryQueue
	ahead      readAhead // snapshot_ahead.go
	rstmts     stmtCache // the pull path's statements prepared on rdb
	opts       Options
	log        *slog.Logger
	key        []byte
	auth       *authState

	closeOnce sync.Once
	closeErr  error
}

const schema = `
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subjects(id TEXT PRIMARY KEY, ver INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(id TEXT PRIMARY KEY, subject_id TEXT NOT NULL, ver INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applications(
	id TEXT PRIMARY KEY,
	device TEXT NOT NULL,
	kind TEXT NOT NULL,
	digest TEXT NOT NULL,
	body BLOB NOT NULL,
	status TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	status_ver INTEGER NOT NULL,
	server_seq INTEGER NOT NULL,
	received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_log(
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	type TEXT NOT NULL,
	id TEXT NOT NULL,
	ver INTEGER NOT NULL,
	op TEXT NOT NULL,
	device TEXT NOT NULL DEFAULT '',
	why TEXT NOT NULL DEFAULT '',
	payload BLOB);
CREATE INDEX IF NOT EXISTS change_log_key ON change_log(type, id);
CREATE TABLE IF NOT EXISTS devices(
	id TEXT PRIMARY KEY,
	last_seen TEXT NOT NULL DEFAULT '',
	acked_seq INTEGER NOT NULL DEFAULT 0,
	acked_at TEXT NOT NULL DEFAULT '',
	applied_at TEXT NOT NULL DEFAULT '');
-- When each tombstone first reached each device, and when the device
-- acknowledged having applied it (sync.md §2.7 deletion lag).
CREATE TABLE IF NOT EXISTS deliveries(
	device TEXT NOT NULL,
	seq INTEGER NOT NULL,
	delivered_at TEXT NOT NULL,
	acked_at TEXT,
	PRIMARY KEY (device, seq)) WITHOUT ROWID;
`

// upgrades bring a database written by an earlier version up to date;
// each is skipped when its column exists.
var upgrades = []struct{ table, column, sql, fill string }{
	// Rows logged before times were kept count from the upgrade, so that
	// the first compaction does not drop every old tombstone at once.
	{"change_log", "at", `ALTER TABLE change_log ADD COLUMN at TEXT NOT NULL DEFAULT ''`, `UPDATE change_log SET at = ? WHERE at = ''`},
	// The region a change belongs to, for device scopes (scope.go). Rows
	// logged before: subjects and records puts get theirs; tombstones
	// keep none and so go to every device.
	{"change_log", "region", `ALTER TABLE change_log ADD COLUMN region TEXT NOT NULL DEFAULT ''`, `UPDATE change_log SET region = COALESCE(CASE type
		WHEN 'subject' THEN json_extract(CAST(payload AS TEXT), '$.region')
		WHEN 'record' THEN (SELECT json_extract(s.body, '$.region') FROM subjects s WHERE s.id = json_extract(CAST(change_log.payload AS TEXT), '$.subject_id'))
		END, '') WHERE op = 'put' AND device = '' AND ? IS NOT NULL`},
	// Subjects' and records' regions, which snapshots filter by.
	{"subjects", "region", `ALTER TABLE subjects ADD COLUMN region TEXT NOT NULL DEFAULT ''`,
		`UPDATE subjects SET region = ` + subjectRegionFunc + `(id, body) WHERE ? IS NOT NULL`},
	{"records", "region", `ALTER TABLE records ADD COLUMN region TEXT NOT NULL DEFAULT ''`,
		`UPDATE records SET region = COALESCE((SELECT s.region FROM subjects s WHERE s.id = records.subject_id), '') WHERE ? IS NOT NULL`},
}

// Open opens (creating if needed) the server database at path and
// prepares the cursor key and epoch.
func Open(ctx context.Context, path string, opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.TombstoneHorizon <= 0 {
		opts.TombstoneHorizon = protocol.DefaultTombstoneHorizon
	}
	if opts.PageLimit <= 0 {
		opts.PageLimit = protocol.DefaultPageLimit
	}
	opts.PageLimit = min(opts.PageLimit, protocol.MaxPageLimit)
	if opts.DeliveryFlushInterval <= 0 {
		opts.DeliveryFlushInterval = DefaultDeliveryFlushInterval
	}
	file := "file:" + (&url.URL{Path: path}).EscapedPath()
	db, err := sql.Open("sqlite", file+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=secure_delete(ON)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("syncserver: open %s: %w", path, err)
	}
	// One writer connection: writes are serialized anyway, and the
	// change-log seq must be taken under the writer lock.
	db.SetMaxOpenConns(1)
	s := &Server{db: db, opts: opts, log: opts.Logger, auth: &authState{started: opts.Now().UTC()}}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("syncserver: open %s: %w", path, err)
	}
	if opts.ReadConns == 0 {
		opts.ReadConns = DefaultReadConns
	}
	s.rdb = db
	if opts.ReadConns > 0 {
		// Opened after init so that the file is in WAL mode and has its
		// schema.
		s.rdb, err = sql.Open("sqlite", file+readPoolDSN(opts.MmapSize))
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("syncserver: open %s read pool: %w", path, err)
		}
		s.rdb.SetMaxOpenConns(opts.ReadConns)
		s.rdb.SetMaxIdleConns(opts.ReadConns)
	}
	s.rstmts.db = s.rdb
	s.rstmts.prepare(ctx, deviceKeyQuery, feedStateQuery, pageQuery)
	s.deliveries.stop, s.deliveries.done = make(chan struct{}), make(chan struct{})
	go s.runDeliveryFlusher(opts.DeliveryFlushInterval)
	return s, nil
}

func (s *Server) init(ctx context.Context) error {
	// The inquiries table is made here too (inquiries.go makes it again,
	// harmlessly), so that snapshots can read it on the read-only pool.
	if _, err := s.db.ExecContext(ctx, schema+authSchema+inquirySchema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for _, u := range upgrades {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, u.table, u.column).Scan(&n); err != nil {
			return fmt.Errorf("schema upgrade: %w", err)
		}
		if n == 0 {
			if _, err := s.db.ExecContext(ctx, u.sql); err != nil {
				return fmt.Errorf("schema upgrade %s.%s: %w", u.table, u.column, err)
			}
			if _, err := s.db.ExecContext(ctx, u.fill, formatTime(s.now())); err != nil {
				return fmt.Errorf("schema upgrade %s.%s: %w", u.table, u.column, err)
			}
		}
	}
	if _, err := s.db.ExecContext(ctx, regionTriggers); err != nil { // scope.go
		return fmt.Errorf("schema: %w", err)
	}
	key, err := s.metaOrCreate(ctx, "cursor_key")
	if err != nil {
		return err
	}
	if s.opts.CursorKey != nil {
		s.key = s.opts.CursorKey
	} else if s.key, err = hex.DecodeString(key); err != nil {
		return fmt.Errorf("cursor key: %w", err)
	}
	_, err = s.metaOrCreate(ctx, "epoch")
	return err
}

// metaOrCreate returns meta value k, storing 32 random hex bytes first
// when it is absent.
func (s *Server) metaOrCreate(ctx context.Context, k string) (string, error) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta(k, v) VALUES(?, ?)`, k, hex.EncodeToString(b[:])); err != nil {
		return "", fmt.Errorf("meta %s: %w", k, err)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT v FROM meta WHERE k = ?`, k).Scan(&v); err != nil {
		return "", fmt.Errorf("meta %s: %w", k, err)
	}
	return v, nil
}

// Close stops the delivery flusher, writes the delivery notes still
// queued and closes the database. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.ahead.close()
		close(s.deliveries.stop)
		<-s.deliveries.done
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s.rstmts.close()
		var rerr error
		if s.rdb != s.db {
			rerr = s.rdb.Close()
		}
		s.closeErr = errors.Join(s.flushDeliveries(ctx), rerr, s.db.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("syncserver: close: %w", s.closeErr)
		}
	})
	return s.closeErr
}

// now returns the server time in UTC without a monotonic reading, so it
// stores and compares exactly.
func (s *Server) now() time.Time { return s.opts.Now().UTC().Round(0) }

// inTx runs fn in a transaction (BEGIN IMMEDIATE via the DSN).
func (s *Server) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// logChange supersedes the older log rows of (typ, id, device) and appends
// the new one, logged at time at, returning its seq.
func logChange(ctx context.Context, tx *sql.Tx, l protocol.Line, device string, at time.Time) (int64, error) {
	region, err := changeRegion(ctx, tx, l, device) // scope.go
	if err != nil {
		return 0, err
	}
	// A moved subject's out-of-scope tombstones stay until a row of their
	// own region supersedes them (scope_move.go).
	if _, err := tx.ExecContext(ctx, `DELETE FROM change_log WHERE type = ? AND id = ? AND device = ? AND NOT (op = 'del' AND why = ? AND region <> ?)`,
		l.T, l.ID, device, ReasonOutOfScope, region); err != nil {
		return 0, fmt.Errorf("supersede %s %s: %w", l.T, l.ID, err)
	}
	var payload any
	if l.Op == protocol.OpPut {
		payload = []byte(l.D)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO change_log(type, id, ver, op, device, why, payload, at, region) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.T, l.ID, l.Ver, l.Op, device, l.Why, payload, formatTime(at), region)
	if err != nil {
		return 0, fmt.Errorf("log %s %s: %w", l.T, l.ID, err)
	}
	return res.LastInsertId()
}

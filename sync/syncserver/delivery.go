package syncserver

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Delivery notes (sync.md §2.7 deletion lag) are not written by the pull
// that serves the tombstones: each pull queues them in memory and one
// transaction every DeliveryFlushInterval writes what all pulls queued
// meanwhile. One durable commit per pull carrying tombstones, serialized
// on the single writer connection, was what held the server below 400
// pulls/s (docs/benchmarks.md). The queue is flushed before an ack is
// applied, before deletion lags are read (Devices), before Compact and by
// Close, so what an ack marks and what Devices reports are exactly what
// they were with the synchronous write: a delivery is queued before its
// page is written to the device, hence before that device can ack it.

// DefaultDeliveryFlushInterval is how often queued delivery notes are
// written when Options.DeliveryFlushInterval is 0.
const DefaultDeliveryFlushInterval = 25 * time.Millisecond

// maxQueuedDeliveries bounds the queue: a pull that finds it this full
// flushes it itself before its page is sent (back-pressure when the disk
// falls behind).
const maxQueuedDeliveries = 200_000

// delivery is one tombstone seq first served to a device at a time.
type delivery struct {
	device string
	seq    int64
	at     string
}

// deliveryQueue collects delivery notes until they are flushed.
type deliveryQueue struct {
	mu      sync.Mutex
	pending []delivery
	// flushMu serializes flushes so that a flush returning means every
	// note queued before it was called is committed.
	flushMu sync.Mutex

	stop chan struct{}
	done chan struct{}
}

// add queues the tombstone seqs of a page served to device at at. It
// reports whether the queue is over its bound.
func (q *deliveryQueue) add(device string, seqs []int64, at string) (full bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, seq := range seqs {
		q.pending = append(q.pending, delivery{device: device, seq: seq, at: at})
	}
	return len(q.pending) >= maxQueuedDeliveries
}

// take empties the queue and returns what it held.
func (q *deliveryQueue) take() []delivery {
	q.mu.Lock()
	defer q.mu.Unlock()
	p := q.pending
	q.pending = nil
	return p
}

// putBack returns notes a failed flush could not write to the front of
// the queue, so that the first delivery time of each stays the one kept.
func (q *deliveryQueue) putBack(p []delivery) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(p, q.pending...)
}

// queued returns how many notes wait to be written.
func (q *deliveryQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// recordDeliveries notes, for each tombstone seq on a page served to
// device, when it first reached it. Pages without tombstones note
// nothing. The note is queued; when the queue is over its bound the
// caller flushes it.
func (s *Server) recordDeliveries(ctx context.Context, device string, dels []int64) error {
	if len(dels) == 0 {
		return nil
	}
	if s.deliveries.add(device, dels, formatTime(s.now())) {
		return s.flushDeliveries(ctx)
	}
	return nil
}

// flushDeliveries writes every queued delivery note in one transaction:
// the device's last_seen and one deliveries row per (device, seq), the
// first delivery time kept (INSERT OR IGNORE). When it returns nil, every
// note queued before the call is committed. On error the notes stay
// queued for the next flush.
func (s *Server) flushDeliveries(ctx context.Context) error {
	q := &s.deliveries
	q.flushMu.Lock()
	defer q.flushMu.Unlock()
	p := q.take()
	if len(p) == 0 {
		return nil
	}
	seen := map[string]string{} // device → its latest note (queue order)
	for _, d := range p {
		seen[d.device] = d.at
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		dev, err := tx.PrepareContext(ctx, `INSERT INTO devices(id, last_seen) VALUES(?, ?)
			ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen`)
		if err != nil {
			return fmt.Errorf("device seen: %w", err)
		}
		defer dev.Close()
		for id, at := range seen {
			if _, err := dev.ExecContext(ctx, id, at); err != nil {
				return fmt.Errorf("device seen: %w", err)
			}
		}
		// A note of a tombstone Compact dropped after the note was queued
		// is not written: the floor is read once, in this transaction.
		var floor int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'floor_seq'), 0)`).Scan(&floor); err != nil {
			return fmt.Errorf("delivery floor: %w", err)
		}
		return insertDeliveries(ctx, tx, p, floor)
	})
	if err != nil {
		q.putBack(p)
		return fmt.Errorf("flush %d delivery notes: %w", len(p), err)
	}
	return nil
}

// deliveryChunk is how many notes one INSERT writes: 2,000 devices
// pulling a page with a tombstone make 2,000 notes, which one statement
// per note took ≈ 15 % of the server's CPU to write (docs/benchmarks.md).
const deliveryChunk = 128

// insertDeliveries writes the notes of tombstones above floor, the first
// of the notes of a (device, seq) kept (INSERT OR IGNORE, in queue order),
// deliveryChunk rows per statement; each statement is prepared once.
func insertDeliveries(ctx context.Context, tx *sql.Tx, p []delivery, floor int64) error {
	args := make([]any, 0, 3*deliveryChunk)
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	flush := func() error {
		n := len(args) / 3
		if n == 0 {
			return nil
		}
		st := stmts[n]
		if st == nil {
			var err error
			q := `INSERT OR IGNORE INTO deliveries(device, seq, delivered_at) VALUES (?, ?, ?)` + strings.Repeat(`, (?, ?, ?)`, n-1)
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				return fmt.Errorf("delivery: %w", err)
			}
			stmts[n] = st
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("delivery: %w", err)
		}
		args = args[:0]
		return nil
	}
	for _, d := range p {
		if d.seq <= floor {
			continue
		}
		if args = append(args, d.device, d.seq, d.at); len(args) == 3*deliveryChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// runDeliveryFlusher flushes the queue every interval until stop is
// closed. It exits when Close closes stop, after which Close flushes once
// more.
func (s *Server) runDeliveryFlusher(interval time.Duration) {
	q := &s.deliveries
	defer close(q.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-q.stop:
			return
		case <-t.C:
		}
		if q.queued() == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := s.flushDeliveries(ctx); err != nil {
			s.log.Error("delivery notes not written; kept for the next flush", "err", err)
		}
		cancel()
	}
}

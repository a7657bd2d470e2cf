package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
)

// SnapshotProgress returns the progress of an unfinished resync (active,
// with the server's snapshot token, "" before the first page, and the last
// key applied), so that a restarted terminal continues it instead of
// starting over.
func (d *DB) SnapshotProgress(ctx context.Context) (token, after string, active bool, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT active, token, after FROM resync_state WHERE id = 1`).Scan(&active, &token, &after)
	if err != nil && !errNoRows(err) {
		return "", "", false, fmt.Errorf("store: snapshot progress: %w", err)
	}
	return token, after, active, nil
}

// BeginSnapshot starts a resync with a fresh generation number. Rows keep
// being shown until FinishSnapshot; a snapshot begun earlier and not
// finished is abandoned (its rows are swept unless this one writes them).
// Into a cache without records (a bootstrap) it drops records_subject, so
// the pages append records in key order; FinishSnapshot builds the index.
// Into a cache without subjects it starts a nameBuild, which builds the
// name index beside the cache while the record pages are written.
func (d *DB) BeginSnapshot(ctx context.Context) error {
	var gen int64
	var empty bool
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO resync_state (id, done_gen, target_gen, active, started_at) VALUES (1, 0, 1, 1, ?)
ON CONFLICT (id) DO UPDATE SET target_gen = max(done_gen, target_gen) + 1, active = 1, token = '', after = '', started_at = excluded.started_at`,
			d.now().UnixNano())
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT target_gen, NOT EXISTS (SELECT 1 FROM subjects) AND NOT EXISTS (SELECT 1 FROM name_grams)
FROM resync_state WHERE id = 1`).Scan(&gen, &empty); err != nil {
			return err
		}
		return dropRecordsIndexIfEmpty(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: begin snapshot: %w", err)
	}
	if empty {
		d.setNameBuild(newNameBuild(gen, d.path))
	} else {
		d.setNameBuild(nil)
	}
	d.log.InfoContext(ctx, "store: resync begun", "bootstrap", empty)
	return nil
}

// bulkCacheKiB is the page cache (KiB) a connection gets while it writes
// a snapshot, so that index pages touched page after page stay in memory
// instead of being reread from the file. FinishSnapshot sets the default
// back on its connection.
const bulkCacheKiB = 256 << 10

// defaultAutoCheckpoint is SQLite's default PRAGMA wal_autocheckpoint
// (pages), which a snapshot page's connection gets back after its commit.
const defaultAutoCheckpoint = 1000

// defaultCacheKiB is SQLite's default page cache (PRAGMA cache_size=-2000).
const defaultCacheKiB = 2000

// onBulkConn runs fn on one pooled connection whose page cache is first
// raised to bulkCacheKiB. When fn fails, or keep is false, the default is
// set back on that connection itself after fn's transaction has ended —
// not inside the transaction, which database/sql rolls back on its own
// when ctx is cancelled — so no way out leaves a pooled connection with a
// 256 MiB cache until restart. A page that succeeded keeps the bulk cache
// for the next one; FinishSnapshot ends it (keep false).
func (d *DB) onBulkConn(ctx context.Context, keep bool, fn func(conn *sql.Conn) error) (err error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return fmt.Errorf("cache size: %w", err)
	}
	defer func() {
		if err != nil || !keep {
			// A failure is ignored: the connection then keeps the bulk
			// cache, which costs memory, not data.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = -%d`, defaultCacheKiB))
		}
	}()
	return fn(conn)
}

// snapPage gathers one snapshot page's writes: subjects and records in
// multi-row upserts.
type snapPage struct {
	subj *rowBatch
	recs *recordBatch
	gen  int64

	// for the nameBuild: the page's organisations and how many subject
	// and record puts it held
	orgs              []orgName
	subjects, records int
}

// ApplySnapshotPage writes one page of a snapshot and saves token and
// after as the snapshot's progress, in one transaction. Snapshot rows are
// the platform's current state and overwrite whatever the cache holds,
// whatever its version (after a server restore versions can go back); they
// are stamped with the snapshot's generation. Invalid rows are quarantined.
// Application statuses follow the usual version rule. Pages do not touch
// the name index: FinishSnapshot rebuilds it whole before it moves the
// cursor. Until then a search uses the previous index, and since it also
// checks the current search_name it never matches a renamed subject by its
// old name; organisations new in this snapshot are found once it finishes.
func (d *DB) ApplySnapshotPage(ctx context.Context, changes []credit.Change, token, after string) error {
	var p *snapPage
	d.pageCkpt.catchUp()
	err := d.onBulkConn(ctx, true, func(conn *sql.Conn) error {
		// The page commits without checkpointing; the pageCheckpointer
		// does it beside the next page.
		if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
			return fmt.Errorf("autocheckpoint: %w", err)
		}
		defer func() {
			// A failure is ignored: that connection then leaves
			// checkpoints to the others' commits and to ApplyPage.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, defaultAutoCheckpoint))
		}()
		return withWriterOn(ctx, conn, func(w *writer) error {
			var target int64
			var active bool
			if err := w.tx.QueryRowContext(ctx, `SELECT target_gen, active FROM resync_state WHERE id = 1`).Scan(&target, &active); err != nil || !active {
				return fmt.Errorf("no snapshot begun: %w", err)
			}
			p = &snapPage{
				subj: newRowBatch(w.tx, "subjects", 7, sqlSnapSubjects),
				recs: newRecordBatch(w.tx, target, d.bulk),
				gen:  target,
			}
			p.subj.pool = d.bulk
			defer p.subj.close()
			defer p.recs.close()
			receivedAt := d.now().UnixNano()
			for i, c := range changes {
				if err := d.snapshotPut(ctx, w, p, c); err != nil {
					if credit.ErrorCode(err) != credit.EINVALID {
						return fmt.Errorf("snapshot row %d (%s %s): %w", i, c.Type, c.ID, err)
					}
					if err := quarantine(ctx, w.tx, c, err.Error(), target, receivedAt); err != nil {
						return err
					}
				}
			}
			if err := p.subj.flush(ctx); err != nil {
				return err
			}
			if err := p.recs.flush(ctx); err != nil {
				return err
			}
			failpoint.Hit("store.snapshot.mid-page") // F13: snapshot rows written, progress not yet saved
			_, err := w.tx.ExecContext(ctx, `UPDATE resync_state SET token = ?, after = ? WHERE id = 1`, token, after)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("store: apply snapshot page: %w", err)
	}
	d.pageCkpt.kick()
	if b := d.currentNameBuild(p.gen); b != nil {
		b.add(p.orgs, p.subjects, p.records)
	}
	return nil
}

func (d *DB) snapshotPut(ctx context.Context, w *writer, p *snapPage, c credit.Change) error {
	if c.Op != credit.OpPut {
		return credit.Errorf(credit.EINVALID, "快照只含新增。", "A snapshot holds puts only, not %q.", c.Op)
	}
	switch c.Type {
	case credit.TypeSubject:
		if c.Subject == nil || c.Subject.ID != c.ID {
			return credit.Errorf(credit.EINVALID, "同步数据缺少主体。", "The subject put carries no matching subject.")
		}
		s := *c.Subject
		s.Version = c.Version
		if err := s.Validate(); err != nil {
			return err
		}
		var search any
		if s.Kind == credit.LegalPerson {
			n := string(normName(s.Name))
			search = n
			p.orgs = append(p.orgs, orgName{id: s.ID, search: n})
		}
		p.subjects++
		return p.subj.add(ctx, s.ID, string(s.Kind), s.Name, s.Region, s.Version, search, p.gen)
	case credit.TypeRecord:
		if c.Record == nil || c.Record.ID != c.ID {
			return credit.Errorf(credit.EINVALID, "同步数据缺少记录。", "The record put carries no matching record.")
		}
		r := *c.Record
		r.Version = c.Version
		if err := r.Validate(); err != nil {
			return err
		}
		p.records++
		return p.recs.addRecord(ctx, r)
	case credit.TypeApplicationStatus:
		if c.Status == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少办理状态。", "The status put carries no status.")
		}
		return applyStatus(ctx, w.tx, c)
	case credit.TypeInquiry:
		if c.Inquiry == nil {
			return credit.Errorf(credit.EINVALID, "同步数据缺少查询记录。", "The inquiry put carries no inquiry.")
		}
		return applyInquiry(ctx, w.tx, c) // remote_inquiries.go: kept outside the sweep
	}
	return nil // unknown types come from a newer platform
}

// FinishSnapshot ends a resync in one transaction: every subject, record,
// name-index row and quarantined put the snapshot did not write is
// deleted (the sweep: deletions missed while offline are enforced here,
// each leaving a content-free tombstone at seq snapshotSeq), the cursor
// becomes cursor and the data-as-of time asOf. Then the WAL is
// checkpointed (TRUNCATE) so the swept rows leave the files. The name
// index is rebuilt from the subjects in the same transaction (or copied
// from the one a bootstrap's nameBuild built beside the cache), and
// records_subject created again if a bootstrap into an empty cache dropped
// it (BeginSnapshot) — that one first, in a transaction of its own, while
// the nameBuild may still run. It returns
// how many subjects and records were swept.
func (d *DB) FinishSnapshot(ctx context.Context, cursor string, snapshotSeq int64, asOf time.Time) (int, error) {
	swept := 0
	d.pageCkpt.wait() // the pages' checkpoints end before the sweep begins
	defer d.bulk.close()
	// A bootstrap's records_subject is built first, in a transaction of
	// its own, while the name index built beside may still run on the
	// other core. It is an index, not state: a crash after it leaves the
	// snapshot to be continued, and the sweep and the cursor still commit
	// together below.
	err := d.onBulkConn(ctx, false, func(conn *sql.Conn) error {
		return inTxOn(ctx, conn, func(tx *sql.Tx) error { return ensureRecordsIndex(ctx, tx) })
	})
	if err != nil {
		return 0, fmt.Errorf("store: finish snapshot: %w", err)
	}
	aux, err := d.nameBuildFor(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: finish snapshot: %w", err)
	}
	err = d.inAuxTx(ctx, aux, func(tx *sql.Tx) (err error) {
		failpoint.Hit("store.snapshot.before-sweep") // F13: last snapshot page committed, sweep not begun
		var target int64
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT target_gen, active FROM resync_state WHERE id = 1`).Scan(&target, &active); err != nil || !active {
			return fmt.Errorf("no snapshot begun: %w", err)
		}
		n, err := sweepOlder(ctx, tx, target, snapshotSeq, d.now().UnixNano()) // resync_sweep.go
		if err != nil {
			return err
		}
		swept = n
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
			return err
		}
		if err := ensureRecordsIndex(ctx, tx); err != nil {
			return err
		}
		if err := finishNameIndex(ctx, tx, aux); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resync_state SET done_gen = target_gen, active = 0, token = '', after = '' WHERE id = 1`); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sync_state (id, cursor, data_as_of) VALUES (1, ?, ?)
ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, data_as_of = excluded.data_as_of`, cursor, nanos(asOf))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: finish snapshot: %w", err)
	}
	d.setNameBuild(nil)
	removeAux(d.path + auxSuffix)
	d.log.InfoContext(ctx, "store: resync finished", "swept", swept, "name_index_built_beside", aux.used)
	failpoint.Hit("store.snapshot.committed") // F13: sweep and cursor committed, WAL not yet checkpointed
	d.checkpoint(ctx)
	return swept, nil
}

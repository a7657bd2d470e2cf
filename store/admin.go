package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Stats summarises the store for staff screens and creditctl.
type Stats struct {
	Subjects, Persons, Organisations int
	Records                          int
	OutboxPending, OutboxRejected    int
	Inquiries                        int
	Tombstones                       int
	Cursor                           string
	DataAsOf                         time.Time // zero if never synced
	SchemaVersion                    int
}

// Stats counts what the store holds.
func (d *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	var asOf sql.NullInt64
	err := d.db.QueryRowContext(ctx, `SELECT
	(SELECT count(*) FROM subjects),
	(SELECT count(*) FROM subjects WHERE kind = 'natural_person'),
	(SELECT count(*) FROM records),
	(SELECT count(*) FROM outbox WHERE state = 'pending'),
	(SELECT count(*) FROM outbox WHERE state = 'rejected'),
	(SELECT count(*) FROM inquiries),
	(SELECT count(*) FROM tombstones),
	coalesce((SELECT cursor FROM sync_state WHERE id = 1), ''),
	(SELECT data_as_of FROM sync_state WHERE id = 1),
	(SELECT user_version FROM pragma_user_version)`).Scan(&s.Subjects, &s.Persons, &s.Records,
		&s.OutboxPending, &s.OutboxRejected, &s.Inquiries, &s.Tombstones, &s.Cursor, &asOf, &s.SchemaVersion)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	s.Organisations = s.Subjects - s.Persons
	s.DataAsOf = fromNanos(asOf)
	return s, nil
}

// ResetCache erases every subject, record and name-index row and forgets
// the cursor and data-as-of time, in one transaction, then checkpoints the
// WAL so the erased rows leave the files. It is the start of a full resync
// (after the platform answers 410 Gone): the next pull begins from cursor
// "". Captured applications, their outbox rows, the inquiry log and the
// tombstones are kept.
func (d *DB) ResetCache(ctx context.Context) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM name_grams`,
			`DELETE FROM records`,
			`DELETE FROM subjects`,
			`DELETE FROM sync_state`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: reset cache: %w", err)
	}
	d.log.InfoContext(ctx, "store: cache reset for a full resync")
	d.checkpoint(ctx)
	return nil
}

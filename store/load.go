package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// loadBatch is the number of rows written per transaction by Load.
const loadBatch = 5000

// Load bulk-loads subjects and then records (for the demo, tests and
// benchmarks) in transactions of a few thousand rows, building the name
// index. Rows follow the version rule of ApplyPage, so loading the same
// data twice changes nothing. An invalid row fails Load with its error;
// batches committed before it stay.
func (d *DB) Load(ctx context.Context, subjects []credit.Subject, records []credit.Record) error {
	for i := 0; i < len(subjects); i += loadBatch {
		batch := subjects[i:min(i+loadBatch, len(subjects))]
		err := d.withWriter(ctx, func(w *writer) error {
			for _, s := range batch {
				if _, err := w.putSubject(ctx, s); err != nil {
					return fmt.Errorf("subject %s: %w", s.MaskedID(), err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: load: %w", err)
		}
	}
	for i := 0; i < len(records); i += loadBatch {
		batch := records[i:min(i+loadBatch, len(records))]
		err := d.withWriter(ctx, func(w *writer) error {
			for _, r := range batch {
				if _, err := w.putRecord(ctx, r); err != nil {
					return fmt.Errorf("record %s: %w", r.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: load: %w", err)
		}
	}
	return nil
}

// withWriter runs fn with prepared write statements in one transaction.
func (d *DB) withWriter(ctx context.Context, fn func(w *writer) error) error {
	return withWriterOn(ctx, d.db, fn)
}

// withWriterOn is withWriter in a transaction begun on b.
func withWriterOn(ctx context.Context, b txBeginner, fn func(w *writer) error) error {
	return inTxOn(ctx, b, func(tx *sql.Tx) error {
		w, err := newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		return fn(w)
	})
}

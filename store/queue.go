package store

import (
	"context"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// OpenObjections returns every objection still being handled, across all
// subjects, by decision deadline (for the office queue).
func (d *DB) OpenObjections(ctx context.Context) ([]credit.Objection, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+objectionCols+` FROM objections WHERE status NOT IN `+closedStatuses+`
ORDER BY decision_due IS NULL, decision_due, received_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: open objections: %w", err)
	}
	defer rows.Close()
	out := []credit.Objection{}
	for rows.Next() {
		o, err := scanObjection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: open objections: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open objections: %w", err)
	}
	return out, nil
}

// OpenRestorations returns every restoration application still being
// handled, across all subjects, by acceptance deadline.
func (d *DB) OpenRestorations(ctx context.Context) ([]credit.Restoration, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+restorationCols+` FROM restorations WHERE status NOT IN `+closedStatuses+`
ORDER BY accept_due IS NULL, accept_due, received_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: open restorations: %w", err)
	}
	defer rows.Close()
	out := []credit.Restoration{}
	for rows.Next() {
		r, err := scanRestoration(rows)
		if err != nil {
			return nil, fmt.Errorf("store: open restorations: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: open restorations: %w", err)
	}
	return out, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Recount sums up a RecountDeadlines.
type Recount struct {
	Checked     int // open applications looked at
	Changed     int // of which a stored deadline moved
	Provisional int // still counted over a year without a notice
}

// RecountDeadlines counts again, on cal, the stored deadlines of the open
// objections (label, decision: Art. 46) and restoration applications
// (acceptance, feedback: Art. 47) and marks which are still provisional
// (issue #5: a deadline reaching into a year whose notice is not out is
// recomputed when the calendar is updated). An application is recounted
// when its deadlines were provisional or its last deadline is still ahead
// at now; one whose deadlines have all passed on the calendar of their
// day is not moved by a later correction (domain.md §7.3).
func (d *DB) RecountDeadlines(ctx context.Context, cal credit.Calendar, now time.Time) (Recount, error) {
	type app struct {
		kind          credit.ApplicationKind
		id            string
		received      time.Time
		first, second time.Time
	}
	var apps []app
	objs, err := d.OpenObjections(ctx)
	if err != nil {
		return Recount{}, err
	}
	for _, o := range objs {
		apps = append(apps, app{credit.KindObjection, o.ID, o.ReceivedAt, o.LabelDue, o.DecisionDue})
	}
	rs, err := d.OpenRestorations(ctx)
	if err != nil {
		return Recount{}, err
	}
	for _, r := range rs {
		apps = append(apps, app{credit.KindRestoration, r.ID, r.ReceivedAt, r.AcceptDue, r.FeedbackDue})
	}
	var res Recount
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		for _, a := range apps {
			var prov sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT provisional FROM deadline_marks WHERE application_id = ?`, a.id).Scan(&prov)
			if err != nil && !errNoRows(err) {
				return fmt.Errorf("read deadline mark: %w", err)
			}
			if !(prov.Valid && prov.Int64 == 1) && !a.second.After(now) {
				continue // passed on the calendar of its day
			}
			res.Checked++
			dues, ok := credit.ApplicationDues(cal, a.kind, a.received)
			if !ok {
				continue
			}
			if !dues.First.Equal(a.first) || !dues.Second.Equal(a.second) {
				q := `UPDATE objections SET label_due = ?, decision_due = ? WHERE id = ?`
				if a.kind == credit.KindRestoration {
					q = `UPDATE restorations SET accept_due = ?, feedback_due = ? WHERE id = ?`
				}
				if _, err := tx.ExecContext(ctx, q, nanos(dues.First), nanos(dues.Second), a.id); err != nil {
					return fmt.Errorf("update deadlines: %w", err)
				}
				res.Changed++
			}
			p := 0
			if dues.Provisional {
				p = 1
				res.Provisional++
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO deadline_marks (application_id, provisional, counted_at) VALUES (?, ?, ?)
ON CONFLICT (application_id) DO UPDATE SET provisional = excluded.provisional, counted_at = excluded.counted_at`,
				a.id, p, now.UnixNano()); err != nil {
				return fmt.Errorf("mark deadlines: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Recount{}, fmt.Errorf("store: recount deadlines: %w", err)
	}
	return res, nil
}

// DeadlinesProvisional reports whether the application's stored
// deadlines were last counted over a year without a holiday notice.
func (d *DB) DeadlinesProvisional(ctx context.Context, applicationID string) (bool, error) {
	var p int
	err := d.db.QueryRowContext(ctx, `SELECT provisional FROM deadline_marks WHERE application_id = ?`, applicationID).Scan(&p)
	if errNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: deadline mark: %w", err)
	}
	return p == 1, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// LocalDaysOff lists the local days off a supervisor added, by date.
func (d *DB) LocalDaysOff(ctx context.Context) ([]credit.LocalDayOff, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT county, date, name, added_by, added_at FROM calendar_local_days ORDER BY date`)
	if err != nil {
		return nil, fmt.Errorf("store: local days off: %w", err)
	}
	defer rows.Close()
	out := []credit.LocalDayOff{}
	for rows.Next() {
		var ld credit.LocalDayOff
		var at sql.NullInt64
		if err := rows.Scan(&ld.County, &ld.Date, &ld.Name, &ld.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("store: local days off: %w", err)
		}
		ld.AddedAt = fromNanos(at)
		out = append(out, ld)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: local days off: %w", err)
	}
	return out, nil
}

// AddLocalDayOff adds a local day off and logs the edit (calendar_audit)
// in the same transaction, both stamped ld.AddedAt: the caller's clock
// (app.Office's Now), or the store's when it is zero. The caller checked
// that ld.AddedBy is a supervisor. A date already held is ECONFLICT.
func (d *DB) AddLocalDayOff(ctx context.Context, ld credit.LocalDayOff) error {
	ld.Name = strings.TrimSpace(ld.Name)
	if err := credit.ValidateLocalDayOff(ld); err != nil {
		return err
	}
	if ld.AddedBy == "" {
		return credit.Errorf(credit.EINVALID, "缺少操作人。", "Who made the change is missing.")
	}
	now := ld.AddedAt
	if now.IsZero() {
		now = d.now()
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO calendar_local_days (date, name, county, added_by, added_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO NOTHING`, ld.Date, ld.Name, ld.County, ld.AddedBy, now.UnixNano())
		if err != nil {
			return fmt.Errorf("add local day off: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return credit.Errorf(credit.ECONFLICT, "该日期已是本地假日。", "%s is already a local day off.", ld.Date)
		}
		return logCalendarEdit(ctx, tx, now.UnixNano(), ld.AddedBy, "add", ld.County, ld.Date, ld.Name)
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// RemoveLocalDayOff removes the local day off on date and logs the edit,
// by the supervisor by at the time at (the caller's clock; zero: the
// store's). No such day is ENOTFOUND.
func (d *DB) RemoveLocalDayOff(ctx context.Context, date, by string, at time.Time) error {
	if by == "" {
		return credit.Errorf(credit.EINVALID, "缺少操作人。", "Who made the change is missing.")
	}
	if at.IsZero() {
		at = d.now()
	}
	now := at.UnixNano()
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var name, county string
		err := tx.QueryRowContext(ctx, `SELECT name, county FROM calendar_local_days WHERE date = ?`, date).Scan(&name, &county)
		if errNoRows(err) {
			return credit.Errorf(credit.ENOTFOUND, "该日期不是本地假日。", "%s is not a local day off.", date)
		}
		if err != nil {
			return fmt.Errorf("remove local day off: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_local_days WHERE date = ?`, date); err != nil {
			return fmt.Errorf("remove local day off: %w", err)
		}
		return logCalendarEdit(ctx, tx, now, by, "remove", county, date, name)
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func logCalendarEdit(ctx context.Context, tx *sql.Tx, at int64, clerk, action, county, date, name string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_audit (at, clerk, action, county, date, name) VALUES (?, ?, ?, ?, ?, ?)`,
		at, clerk, action, county, date, name); err != nil {
		return fmt.Errorf("log calendar edit: %w", err)
	}
	return nil
}

// CalendarEdits returns the log of local day-off edits, oldest first.
func (d *DB) CalendarEdits(ctx context.Context) ([]credit.CalendarEdit, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT seq, at, clerk, action, county, date, name FROM calendar_audit ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: calendar edits: %w", err)
	}
	defer rows.Close()
	out := []credit.CalendarEdit{}
	for rows.Next() {
		var e credit.CalendarEdit
		var at sql.NullInt64
		if err := rows.Scan(&e.Seq, &at, &e.Clerk, &e.Action, &e.County, &e.Date, &e.Name); err != nil {
			return nil, fmt.Errorf("store: calendar edits: %w", err)
		}
		e.At = fromNanos(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: calendar edits: %w", err)
	}
	return out, nil
}

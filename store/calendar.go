package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// SaveCalendar keeps a calendar update the platform sent, in place of the
// one held under the same id (u.ID()). The caller has checked signed with
// the platform keys (credit.OpenCalendar) and passes what it opened. A
// lower version, or other bytes under the held version, is refused
// (ECONFLICT: the device keeps the calendar it has); the same update again
// changes nothing and reports false.
func (d *DB) SaveCalendar(ctx context.Context, u credit.CalendarUpdate, signed []byte) (saved bool, err error) {
	var data any = credit.CountyFile{Counties: u.Counties}
	if u.Kind == credit.CalendarYear {
		y := u.Year
		if y.Papers == nil {
			y.Papers = []string{}
		}
		data = y
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return false, fmt.Errorf("store: save calendar: %w", err)
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var cur int64
		var held []byte
		err := tx.QueryRowContext(ctx, `SELECT version, signed FROM calendar_updates WHERE id = ?`, u.ID()).Scan(&cur, &held)
		switch {
		case errNoRows(err):
		case err != nil:
			return fmt.Errorf("read calendar %s: %w", u.ID(), err)
		case u.Version < cur:
			return credit.Errorf(credit.ECONFLICT, "拒绝回退：收到的日历数据比本机的旧。",
				"Rollback refused: calendar %s version %d is older than the %d held.", u.ID(), u.Version, cur)
		case u.Version == cur && bytes.Equal(held, signed):
			return nil
		case u.Version == cur:
			return credit.Errorf(credit.ECONFLICT, "本机已有另一份同版本的日历数据。",
				"Another calendar %s with version %d is held.", u.ID(), cur)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_updates (id, kind, version, data, signed, saved_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, version = excluded.version, data = excluded.data,
	signed = excluded.signed, saved_at = excluded.saved_at`,
			u.ID(), u.Kind, u.Version, raw, signed, d.now().UnixNano()); err != nil {
			return fmt.Errorf("save calendar %s: %w", u.ID(), err)
		}
		saved = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return saved, nil
}

// CalendarVersion is the version of a held calendar update; 0 when none.
func (d *DB) CalendarVersion(ctx context.Context, id string) (int64, error) {
	var v int64
	err := d.db.QueryRowContext(ctx, `SELECT version FROM calendar_updates WHERE id = ?`, id).Scan(&v)
	if errNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: calendar version: %w", err)
	}
	return v, nil
}

// CalendarSources returns what the device's calendar is built from: base
// (the embedded notices; the store does not import assets), the years and
// county overrides the platform sent, the county code and the local days
// off a supervisor added. A held row that no longer parses is an error,
// not silently dropped.
func (d *DB) CalendarSources(ctx context.Context, base []credit.HolidayYear, county string) (credit.CalendarSources, error) {
	src := credit.CalendarSources{Base: base, County: county}
	rows, err := d.db.QueryContext(ctx, `SELECT id, kind, data FROM calendar_updates ORDER BY id`)
	if err != nil {
		return src, fmt.Errorf("store: calendar: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind string
		var data []byte
		if err := rows.Scan(&id, &kind, &data); err != nil {
			return src, fmt.Errorf("store: calendar: %w", err)
		}
		switch kind {
		case credit.CalendarYear:
			y, err := credit.ParseHolidayYear(data)
			if err != nil {
				return src, fmt.Errorf("store: calendar %s: %w", id, err)
			}
			src.Synced = append(src.Synced, y)
		case credit.CalendarCounties:
			cs, err := credit.ParseCounties(data)
			if err != nil {
				return src, fmt.Errorf("store: calendar %s: %w", id, err)
			}
			src.Counties = cs
		default:
			return src, fmt.Errorf("store: calendar %s: unknown kind %q", id, kind)
		}
	}
	if err := rows.Err(); err != nil {
		return src, fmt.Errorf("store: calendar: %w", err)
	}
	if county != "" {
		days, err := d.LocalDaysOff(ctx)
		if err != nil {
			return src, err
		}
		for _, ld := range days {
			if ld.County == county {
				src.LocalDays = append(src.LocalDays, credit.HolidayDay{Name: ld.Name, Date: ld.Date, Off: true})
			}
		}
	}
	return src, nil
}

// Calendar is CalendarSources built: the device's effective calendar.
func (d *DB) Calendar(ctx context.Context, base []credit.HolidayYear, county string) (*credit.HolidayCalendar, error) {
	src, err := d.CalendarSources(ctx, base, county)
	if err != nil {
		return nil, err
	}
	cal, err := src.Build()
	if err != nil {
		return nil, fmt.Errorf("store: calendar: %w", err)
	}
	return cal, nil
}

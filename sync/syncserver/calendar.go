package syncserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// calendarSchema holds the signed calendar updates the platform published
// (issue #5: calendar updates arrive through sync as signed data): the
// newest version of each id. Created on first use, so older databases
// need no upgrade.
const calendarSchema = `CREATE TABLE IF NOT EXISTS calendars(
	id TEXT PRIMARY KEY,
	version INTEGER NOT NULL,
	signed BLOB NOT NULL,
	published_at TEXT NOT NULL)`

// PublishedCalendar is one calendar update the platform holds.
type PublishedCalendar struct {
	ID          string // year:2027 or counties
	Version     int64
	PublishedAt string // RFC 3339
}

// CalendarVersion is the version of the published update id; 0 when none.
func (s *Server) CalendarVersion(ctx context.Context, id string) (int64, error) {
	if _, err := s.db.ExecContext(ctx, calendarSchema); err != nil {
		return 0, fmt.Errorf("syncserver: calendar schema: %w", err)
	}
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM calendars WHERE id = ?`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("syncserver: calendar version: %w", err)
	}
	return v, nil
}

// Calendars lists the published calendar updates by id.
func (s *Server) Calendars(ctx context.Context) ([]PublishedCalendar, error) {
	if _, err := s.db.ExecContext(ctx, calendarSchema); err != nil {
		return nil, fmt.Errorf("syncserver: calendar schema: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, version, published_at FROM calendars ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("syncserver: calendars: %w", err)
	}
	defer rows.Close()
	var out []PublishedCalendar
	for rows.Next() {
		var c PublishedCalendar
		if err := rows.Scan(&c.ID, &c.Version, &c.PublishedAt); err != nil {
			return nil, fmt.Errorf("syncserver: calendars: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: calendars: %w", err)
	}
	return out, nil
}

// PublishCalendar checks signed with keys (the platform keys devices
// trust), refuses a version not above the published one of its id (the
// same bytes again change nothing), stores it and logs it as a "calendar"
// put in the change feed for every device, in one transaction.
func (s *Server) PublishCalendar(ctx context.Context, signed []byte, keys []ed25519.PublicKey) (u credit.CalendarUpdate, changed bool, err error) {
	u, err = credit.OpenCalendar(signed, keys)
	if err != nil {
		return u, false, fmt.Errorf("syncserver: publish calendar: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, calendarSchema); err != nil {
		return u, false, fmt.Errorf("syncserver: calendar schema: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var cur int64
		var held []byte
		err := tx.QueryRowContext(ctx, `SELECT version, signed FROM calendars WHERE id = ?`, u.ID()).Scan(&cur, &held)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read calendar %s: %w", u.ID(), err)
		case u.Version == cur && bytes.Equal(held, signed):
			return nil
		case u.Version <= cur:
			return credit.Errorf(credit.ECONFLICT, "日历数据版本须高于已发布的版本。",
				"Calendar %s version %d must be above the published version %d.", u.ID(), u.Version, cur)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendars(id, version, signed, published_at) VALUES(?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET version = excluded.version, signed = excluded.signed, published_at = excluded.published_at`,
			u.ID(), u.Version, signed, formatTime(now)); err != nil {
			return fmt.Errorf("store calendar %s: %w", u.ID(), err)
		}
		l := protocol.Line{Op: protocol.OpPut, T: protocol.TypeCalendar, ID: u.ID(), Ver: u.Version, D: protocol.CalendarData(signed)}
		if _, err := logChange(ctx, tx, l, "", now); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if err != nil {
		return u, false, fmt.Errorf("syncserver: publish calendar: %w", err)
	}
	if changed {
		s.log.Info("calendar published", "calendar", u.ID(), "version", u.Version)
	}
	return u, changed, nil
}

// PublishedYears returns the notice years the platform published, for its
// own deadline counting (their signatures were checked when published).
func (s *Server) PublishedYears(ctx context.Context) ([]credit.HolidayYear, error) {
	if _, err := s.db.ExecContext(ctx, calendarSchema); err != nil {
		return nil, fmt.Errorf("syncserver: calendar schema: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, signed FROM calendars WHERE id LIKE 'year:%' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("syncserver: published years: %w", err)
	}
	defer rows.Close()
	var years []credit.HolidayYear
	for rows.Next() {
		var id string
		var signed []byte
		if err := rows.Scan(&id, &signed); err != nil {
			return nil, fmt.Errorf("syncserver: published years: %w", err)
		}
		u, err := credit.PeekCalendar(signed)
		if err != nil {
			return nil, fmt.Errorf("syncserver: published calendar %s: %w", id, err)
		}
		years = append(years, u.Year)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: published years: %w", err)
	}
	return years, nil
}

// snapshotCalendars are the published calendar updates as put lines for
// the first page of a snapshot (seq left to the caller), so a device that
// resyncs gets the calendar the feed would have given it.
func (s *Server) snapshotCalendars(ctx context.Context) ([]protocol.Line, error) {
	if _, err := s.db.ExecContext(ctx, calendarSchema); err != nil {
		return nil, fmt.Errorf("calendar schema: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, version, signed FROM calendars ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("snapshot calendars: %w", err)
	}
	defer rows.Close()
	var lines []protocol.Line
	for rows.Next() {
		l := protocol.Line{Op: protocol.OpPut, T: protocol.TypeCalendar}
		var signed []byte
		if err := rows.Scan(&l.ID, &l.Ver, &signed); err != nil {
			return nil, fmt.Errorf("snapshot calendars: %w", err)
		}
		l.D = protocol.CalendarData(signed)
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("snapshot calendars: %w", err)
	}
	return lines, nil
}

package devicesync

import (
	"context"
	"log/slog"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// Calendar is a device's working-day calendar (issue #5): the notices
// built into the program, the years and county overrides the platform sent
// through sync (the newer wins), the county's days off and the local days
// a supervisor added. Live is what the app services count on; Sink, when
// the platform's calendar keys were given (--calendar-pub), takes the
// signed updates of the feed and swaps them into Live.
type Calendar struct {
	Live *credit.LiveCalendar
	Sink syncclient.CalendarSink // nil: updates through sync are ignored

	db     *store.DB
	base   []credit.HolidayYear
	county string
	now    func() time.Time
}

// Reload builds the calendar again from the store (after a supervisor
// edited the local days off), puts it in Live and recounts the deadlines
// of open applications still ahead; on an error Live keeps the calendar
// it has.
func (c Calendar) Reload(ctx context.Context) error {
	if c.db == nil {
		return nil
	}
	cal, err := c.db.Calendar(ctx, c.base, c.county)
	if err != nil {
		return err
	}
	c.Live.Set(cal)
	if _, err := c.db.RecountDeadlines(ctx, cal, c.now()); err != nil {
		return err
	}
	return nil
}

// OpenCalendar builds the calendar for county ("" national only) from db
// and recounts the deadlines of open applications on it, so a local day
// added since the last start, or a notice received, counts. pubPath is the
// file of the platform's calendar public keys (`syncserver calendar
// pubkey`); "" takes no updates. Problems are logged and the calendar
// falls back to what is usable: the embedded notices, or weekdays.
func OpenCalendar(ctx context.Context, db *store.DB, county, pubPath string, now func() time.Time, log *slog.Logger) Calendar {
	if now == nil {
		now = time.Now
	}
	base, err := credit.ReadHolidayYears(assets.Holidays())
	if err != nil {
		log.ErrorContext(ctx, "holiday calendar unusable; counting weekdays only", "err", err)
	}
	c := Calendar{Live: credit.NewLiveCalendar(nil), db: db, base: base, county: county, now: now}
	cal, err := db.Calendar(ctx, base, county)
	if err != nil {
		log.ErrorContext(ctx, "synced calendar unusable; built-in notices only", "county", county, "err", err)
		cal, err = credit.CalendarSources{Base: base, County: county}.Build()
		if err != nil {
			cal, _ = credit.NewHolidayCalendar(base...)
		}
	}
	c.Live.Set(cal)
	if cal != nil {
		if rc, err := db.RecountDeadlines(ctx, cal, now()); err != nil {
			log.WarnContext(ctx, "deadlines not recounted", "err", err)
		} else if rc.Changed > 0 {
			log.InfoContext(ctx, "deadlines recounted", "moved", rc.Changed, "provisional", rc.Provisional)
		}
	}
	if pubPath == "" {
		return c
	}
	keys, err := LoadRoots(pubPath)
	if err != nil {
		log.ErrorContext(ctx, "calendar keys unusable; calendar updates through sync are refused", "err", err)
		return c
	}
	c.Sink = &store.CalendarKeeper{DB: db, Keys: keys, Base: base, County: county, Now: now, Logger: log, OnChange: c.Live.Set}
	return c
}

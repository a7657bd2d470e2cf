package main

import (
	"context"
	"log/slog"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/store"
)

// calendarEditing is the office's settings store (store.DB) with each
// edit of the local days off put into the office's calendar at once, so
// deadlines counted afterwards (intake receipts, the queue) include it.
type calendarEditing struct {
	*store.DB
	cal devicesync.Calendar
	log *slog.Logger
}

// AddLocalDayOff stores and logs the day, then reloads the calendar.
func (e calendarEditing) AddLocalDayOff(ctx context.Context, d credit.LocalDayOff) error {
	if err := e.DB.AddLocalDayOff(ctx, d); err != nil {
		return err
	}
	e.reload(ctx)
	return nil
}

// RemoveLocalDayOff removes and logs the day, then reloads the calendar.
func (e calendarEditing) RemoveLocalDayOff(ctx context.Context, date, by string, at time.Time) error {
	if err := e.DB.RemoveLocalDayOff(ctx, date, by, at); err != nil {
		return err
	}
	e.reload(ctx)
	return nil
}

func (e calendarEditing) reload(ctx context.Context) {
	if err := e.cal.Reload(ctx); err != nil {
		e.log.WarnContext(ctx, "calendar not reloaded after a local day-off edit; it counts from the next start", "err", err)
	}
}

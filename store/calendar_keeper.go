package store

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"time"

	credit "github.com/gansu-credit/credit"
)

// CalendarKeeper takes the signed calendar updates of the change feed
// (it is a syncclient.CalendarSink): it checks each with the platform
// keys, refuses one older than the one held, keeps it, rebuilds the
// device's calendar, recounts the deadlines of open applications and hands
// the new calendar to OnChange. DB and Keys are required.
type CalendarKeeper struct {
	DB     *DB
	Keys   []ed25519.PublicKey  // platform keys calendar data must be signed with
	Base   []credit.HolidayYear // the embedded notices (assets.Holidays)
	County string               // the device's county code; "" national only
	Now    func() time.Time     // time.Now when nil
	Logger *slog.Logger         // discarded when nil
	// OnChange, when set, receives the rebuilt calendar after an update
	// was kept (e.g. credit.LiveCalendar.Set).
	OnChange func(*credit.HolidayCalendar)
}

// ReceiveCalendar checks, keeps and applies one signed update. An update
// it will not take is a *credit.Error: EUNAUTHORIZED (unsigned or not
// signed by Keys), EINVALID (malformed, or it would make the calendar
// unusable) or ECONFLICT (not newer than the one held); the calendar held
// is kept. Any other error means it could not be stored.
func (k *CalendarKeeper) ReceiveCalendar(ctx context.Context, signed []byte) error {
	log := k.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	u, err := credit.OpenCalendar(signed, k.Keys)
	if err != nil {
		return err
	}
	src, err := k.DB.CalendarSources(ctx, k.Base, k.County)
	if err != nil {
		return err
	}
	if u.Kind == credit.CalendarYear {
		src.Synced = credit.MergeYears(src.Synced, []credit.HolidayYear{u.Year})
	} else {
		src.Counties = u.Counties
	}
	cal, err := src.Build()
	if err != nil {
		return credit.Errorf(credit.EINVALID, "日历数据与本机日历冲突。", "Calendar %s version %d would make the calendar unusable: %v", u.ID(), u.Version, err)
	}
	saved, err := k.DB.SaveCalendar(ctx, u, signed)
	if err != nil || !saved {
		return err
	}
	now := time.Now
	if k.Now != nil {
		now = k.Now
	}
	rc, err := k.DB.RecountDeadlines(ctx, cal, now())
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "calendar updated", "calendar", u.ID(), "version", u.Version,
		"recounted", rc.Checked, "moved", rc.Changed, "provisional", rc.Provisional)
	if k.OnChange != nil {
		k.OnChange(cal)
	}
	return nil
}

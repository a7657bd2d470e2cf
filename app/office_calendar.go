package app

import (
	"context"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// CalendarOverrides keeps the local days off of the office's county and
// the log of their edits (store.DB). The office finds it on its settings
// store (OfficeDeps.Settings), which keeps the county too.
type CalendarOverrides interface {
	LocalDaysOff(ctx context.Context) ([]credit.LocalDayOff, error)
	// AddLocalDayOff stores the day and logs the edit in one
	// transaction, both stamped d.AddedAt; a date held already is
	// ECONFLICT.
	AddLocalDayOff(ctx context.Context, d credit.LocalDayOff) error
	// RemoveLocalDayOff removes the day and logs the edit by by, stamped
	// at; ENOTFOUND when there is none.
	RemoveLocalDayOff(ctx context.Context, date, by string, at time.Time) error
	CalendarEdits(ctx context.Context) ([]credit.CalendarEdit, error)
}

// overrides is the settings store as a CalendarOverrides, or an
// EUNAVAILABLE error.
func (o *Office) overrides() (CalendarOverrides, error) {
	if co, ok := o.settings.(CalendarOverrides); ok {
		return co, nil
	}
	return nil, credit.Errorf(credit.EUNAVAILABLE, "本机不能编辑本地假日。", "Local days off cannot be edited on this computer.")
}

// LocalDaysOff lists the local days off entered at this office. Every
// logged-in clerk may see them.
func (o *Office) LocalDaysOff(ctx context.Context, cs *ClerkSession) ([]credit.LocalDayOff, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	co, err := o.overrides()
	if err != nil {
		return nil, err
	}
	days, err := co.LocalDaysOff(ctx)
	if err != nil {
		return nil, o.unavailable(ctx, "local days off", err)
	}
	return days, nil
}

// supervisorEdit checks that cs may edit the county's days off: a
// supervisor (domain.md §7.2: a county override can be edited only by a
// supervisor, and is logged) of an office whose county is set.
func (o *Office) supervisorEdit(ctx context.Context, cs *ClerkSession, what string) (CalendarOverrides, string, error) {
	if err := o.active(cs); err != nil {
		return nil, "", err
	}
	if !cs.IsSupervisor() {
		o.log.WarnContext(ctx, what+" refused: not a supervisor", logKeyClerk, cs.Clerk.ID)
		return nil, "", errSupervisorOnly()
	}
	co, err := o.overrides()
	if err != nil {
		return nil, "", err
	}
	set, err := o.Settings(ctx, cs)
	if err != nil {
		return nil, "", err
	}
	if set.County == "" {
		return nil, "", credit.Errorf(credit.EINVALID, "请先在设置中填写本机所在县区代码。", "Set this office's county code in the settings first.")
	}
	return co, set.County, nil
}

// AddLocalDayOff adds a day off of the office's county (e.g. Eid al-Fitr
// from the local government's notice). Only a supervisor may; the edit is
// logged with the supervisor's staff number. The office app counts it at
// once (cmd/office reloads its calendar); kiosks, which keep their own
// store, get county days off from the platform's published county
// overrides (syncserver calendar publish --counties).
func (o *Office) AddLocalDayOff(ctx context.Context, cs *ClerkSession, date, name string) error {
	co, county, err := o.supervisorEdit(ctx, cs, "local day off")
	if err != nil {
		return err
	}
	d := credit.LocalDayOff{County: county, Date: strings.TrimSpace(date), Name: strings.TrimSpace(name), AddedBy: cs.Clerk.ID,
		AddedAt: o.now()} // the office's clock, not the store's
	if err := credit.ValidateLocalDayOff(d); err != nil {
		return err
	}
	if err := co.AddLocalDayOff(ctx, d); err != nil {
		if credit.ErrorCode(err) == credit.ECONFLICT {
			return err
		}
		return o.unavailable(ctx, "add local day off", err)
	}
	o.log.InfoContext(ctx, "local day off added", logKeyClerk, cs.Clerk.ID, logKeyDate, d.Date, logKeyCounty, county)
	return nil
}

// RemoveLocalDayOff removes a local day off; supervisor only, logged.
func (o *Office) RemoveLocalDayOff(ctx context.Context, cs *ClerkSession, date string) error {
	co, county, err := o.supervisorEdit(ctx, cs, "local day off removal")
	if err != nil {
		return err
	}
	if err := co.RemoveLocalDayOff(ctx, strings.TrimSpace(date), cs.Clerk.ID, o.now()); err != nil {
		if credit.ErrorCode(err) == credit.ENOTFOUND {
			return err
		}
		return o.unavailable(ctx, "remove local day off", err)
	}
	o.log.InfoContext(ctx, "local day off removed", logKeyClerk, cs.Clerk.ID, logKeyDate, date, logKeyCounty, county)
	return nil
}

// CalendarEdits returns the log of local day-off edits, for a supervisor.
func (o *Office) CalendarEdits(ctx context.Context, cs *ClerkSession) ([]credit.CalendarEdit, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	if !cs.IsSupervisor() {
		return nil, errSupervisorOnly()
	}
	co, err := o.overrides()
	if err != nil {
		return nil, err
	}
	edits, err := co.CalendarEdits(ctx)
	if err != nil {
		return nil, o.unavailable(ctx, "calendar edits", err)
	}
	return edits, nil
}

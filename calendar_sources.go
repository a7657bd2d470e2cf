package credit

import (
	"fmt"
	"slices"
	"time"
)

// CalendarSources is everything a device's working-day calendar is built
// from (domain.md §7): the notices built into the program, the newer ones
// the platform sent, the county overrides, the device's county and its
// supervisor's local days off.
type CalendarSources struct {
	Base   []HolidayYear // embedded (assets.Holidays)
	Synced []HolidayYear // from the platform; a year here replaces Base's
	// Counties are the platform's county overrides; nil means the
	// built-in Counties.
	Counties []County
	County   string // the device's 6-digit county code; "" national only
	// LocalDays are the days off a supervisor added for County (Off
	// true, named); they come on top of the county's own.
	LocalDays []HolidayDay
}

// MergeYears returns base with each year of newer in place of base's
// year of the same number (newer wins), in year order.
func MergeYears(base, newer []HolidayYear) []HolidayYear {
	byYear := map[int]HolidayYear{}
	for _, y := range base {
		byYear[y.Year] = y
	}
	for _, y := range newer {
		byYear[y.Year] = y
	}
	out := make([]HolidayYear, 0, len(byYear))
	for _, y := range byYear {
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b HolidayYear) int { return a.Year - b.Year })
	return out
}

// Build returns the effective calendar: the merged notices, with the
// county's days off (and the local ones) layered on when County is set.
func (s CalendarSources) Build() (*HolidayCalendar, error) {
	cal, err := NewHolidayCalendar(MergeYears(s.Base, s.Synced)...)
	if err != nil {
		return nil, err
	}
	if s.County == "" {
		return cal, nil
	}
	if err := ValidCountyCode(s.County); err != nil {
		return nil, err
	}
	counties := s.Counties
	if counties == nil {
		counties = Counties
	}
	var county County
	if c := FindCounty(counties, s.County); c != nil {
		county = *c
	} else {
		county = County{Prefix: s.County, Name: s.County}
	}
	if len(s.LocalDays) > 0 {
		county.Dates = append(slices.Clone(county.Dates), s.LocalDays...)
	}
	if len(county.Rules) == 0 && len(county.Dates) == 0 {
		return cal, nil // a county without days of its own
	}
	cal, err = cal.WithLocal(county)
	if err != nil {
		return nil, fmt.Errorf("calendar for county %s: %w", s.County, err)
	}
	return cal, nil
}

// Dues are the two working-day deadlines of an application, counted from
// its receipt: label and decision for an objection (1 and 7 working days,
// Art. 46), acceptance and feedback for a restoration (3 and 10 working
// days, Art. 47 with 国办发〔2025〕22号). Provisional is true when either
// was counted over a year whose notice is not out (issue #5: recomputed
// when the calendar is updated).
type Dues struct {
	First, Second time.Time
	Provisional   bool
}

// ApplicationDues counts the deadlines of an application of kind received
// at receivedAt on cal; ok is false for an unknown kind.
func ApplicationDues(cal Calendar, kind ApplicationKind, receivedAt time.Time) (d Dues, ok bool) {
	lc, ok := LifecycleOf(kind)
	if !ok || len(lc.stages) < 2 {
		return Dues{}, false
	}
	var p1, p2 bool
	d.First, p1 = Deadline(cal, receivedAt, lc.stages[0].Days)
	d.Second, p2 = Deadline(cal, receivedAt, lc.stages[1].Days)
	d.Provisional = p1 || p2
	return d, true
}

// RunningDue is the deadline now running for an application of kind at
// status with dues d: the first stage not yet met (Lifecycle.Pending).
// ok is false when every deadline is met or the status is final.
func RunningDue(kind ApplicationKind, status ApplicationStatus, first, second time.Time) (due time.Time, ok bool) {
	lc, known := LifecycleOf(kind)
	if !known {
		return time.Time{}, false
	}
	st, pending := lc.Pending(status)
	if !pending {
		return time.Time{}, false
	}
	if len(lc.stages) > 0 && st.Name == lc.stages[0].Name {
		return first, !first.IsZero()
	}
	return second, !second.IsZero()
}

// Lateness reports whether due has passed at now and by how many working
// days (Art. 46: overdue items are flagged with how many working days
// late; WorkingDaysLate). A zero due is never late.
func Lateness(cal Calendar, due, now time.Time) (overdue bool, workingDays int) {
	if due.IsZero() || !now.After(due) {
		return false, 0
	}
	return true, WorkingDaysLate(cal, due, now)
}

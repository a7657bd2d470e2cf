package credit

import "time"

// China is the time zone all deadlines are counted in (UTC+8, no DST).
var China = time.FixedZone("CST", 8*3600)

// Calendar tells working days from days off.
type Calendar interface {
	IsWorkingDay(day time.Time) bool
}

// WeekendCalendar treats Monday to Friday as working days. It stands in
// until the official holiday calendar is loaded.
type WeekendCalendar struct{}

// IsWorkingDay reports whether day (in China time) is Monday to Friday.
func (WeekendCalendar) IsWorkingDay(day time.Time) bool {
	wd := day.In(China).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the deadline n working days after from: the day of
// receipt is not counted, and the deadline is the last instant (23:59:59) of
// the nth working day after it, in China time. n <= 0 returns the end of the
// day of receipt.
func AddWorkingDays(cal Calendar, from time.Time, n int) time.Time {
	d := from.In(China)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, China)
	for count := 0; count < n; {
		day = day.AddDate(0, 0, 1)
		if cal.IsWorkingDay(day) {
			count++
		}
	}
	return day.Add(24*time.Hour - time.Second)
}

package credit

import (
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// LocalDayOff is a day off a county's local notice gives (domain.md §7.2:
// Eid al-Fitr, Eid al-Adha, Tibetan New Year … set by local governments
// each year under the national holiday measures), entered at the office by
// a supervisor. It counts like a county rule's day off.
type LocalDayOff struct {
	County  string    // 6-digit county code
	Date    string    // 2006-01-02, China time
	Name    string    // e.g. 开斋节
	AddedBy string    // supervisor's staff number
	AddedAt time.Time //
}

// CalendarEdit is one entry of the log of local day-off edits: every add
// and remove, with who did it and when.
type CalendarEdit struct {
	Seq    int64
	At     time.Time
	Clerk  string
	Action string // "add" or "remove"
	County string
	Date   string
	Name   string
}

// maxDayOffNameRunes bounds a local day off's name.
const maxDayOffNameRunes = 40

// ValidateLocalDayOff checks a day off a supervisor enters: a Gansu county
// code, a real date between 2000 and 2100, and a short printable name.
func ValidateLocalDayOff(d LocalDayOff) error {
	if err := ValidCountyCode(d.County); err != nil {
		return err
	}
	day, err := time.ParseInLocation(dateLayout, d.Date, China)
	if err != nil || day.Year() < 2000 || day.Year() > countyLastYear {
		return Errorf(EINVALID, "日期应为2000至2100年间的有效日期，格式如 2027-03-10。", "The date must be a real date from 2000 to 2100, like 2027-03-10.")
	}
	name := strings.TrimSpace(d.Name)
	if name == "" || utf8.RuneCountInString(name) > maxDayOffNameRunes || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }) {
		return Errorf(EINVALID, "请填写假日名称（不超过40字）。", "Give the day off a name (at most 40 characters).")
	}
	return nil
}

// LiveCalendar is a ProvisionalCalendar whose calendar can be replaced
// while it is in use, when a calendar update arrives through sync. It is
// safe for concurrent use; the zero value counts weekdays only.
type LiveCalendar struct {
	cur atomic.Pointer[HolidayCalendar]
}

// NewLiveCalendar returns a LiveCalendar holding cal.
func NewLiveCalendar(cal *HolidayCalendar) *LiveCalendar {
	l := &LiveCalendar{}
	l.Set(cal)
	return l
}

// Set replaces the calendar; nil is ignored.
func (l *LiveCalendar) Set(cal *HolidayCalendar) {
	if cal != nil {
		l.cur.Store(cal)
	}
}

// Current is the calendar held, or nil.
func (l *LiveCalendar) Current() *HolidayCalendar { return l.cur.Load() }

// IsWorkingDay implements Calendar.
func (l *LiveCalendar) IsWorkingDay(day time.Time) bool {
	if c := l.cur.Load(); c != nil {
		return c.IsWorkingDay(day)
	}
	return WeekendCalendar{}.IsWorkingDay(day)
}

// Provisional implements ProvisionalCalendar: without a calendar every
// day is a guess.
func (l *LiveCalendar) Provisional(day time.Time) bool {
	if c := l.cur.Load(); c != nil {
		return c.Provisional(day)
	}
	return true
}

package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// dateLayout is the ISO 8601 calendar date used by holiday-cn and by the
// county overrides.
const dateLayout = "2006-01-02"

// HolidayDay is one exception to the weekday rule in a State Council notice:
// a day off on a weekday (Off true) or an adjusted working day (调休) at a
// weekend (Off false).
type HolidayDay struct {
	Name string `json:"name"`
	Date string `json:"date"` // 2006-01-02, China time
	Off  bool   `json:"isOffDay"`
}

// HolidayYear is one YYYY.json of NateScarlet/holiday-cn (MIT): the State
// Council General Office's holiday notice for one year.
type HolidayYear struct {
	Year   int          `json:"year"`
	Papers []string     `json:"papers"` // URLs of the notices the days come from
	Days   []HolidayDay `json:"days"`
}

// holidayFileJSON mirrors holiday-cn's schema with pointers, so a missing
// required member is told apart from a zero one.
type holidayFileJSON struct {
	Year   *int      `json:"year"`
	Papers *[]string `json:"papers"`
	Days   *[]struct {
		Name     *string `json:"name"`
		Date     *string `json:"date"`
		IsOffDay *bool   `json:"isOffDay"`
	} `json:"days"`
}

// ParseHolidayYear parses and checks one holiday-cn file (schema:
// holiday-cn/schema.json). Every day must be a real date in or next to the
// file's year (New Year holidays spill over), and no date may appear twice
// with different meanings.
func ParseHolidayYear(data []byte) (HolidayYear, error) {
	var f holidayFileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return HolidayYear{}, fmt.Errorf("holiday file: %w", err)
	}
	if dec.More() {
		return HolidayYear{}, fmt.Errorf("holiday file: data after the JSON object")
	}
	if f.Year == nil || f.Papers == nil || f.Days == nil {
		return HolidayYear{}, fmt.Errorf("holiday file: year, papers and days are required")
	}
	y := HolidayYear{Year: *f.Year, Papers: *f.Papers}
	if y.Year < 1949 || y.Year > 9998 {
		return HolidayYear{}, fmt.Errorf("holiday file: year %d out of range", y.Year)
	}
	seen := map[string]bool{}
	for i, d := range *f.Days {
		if d.Date == nil || d.IsOffDay == nil || d.Name == nil {
			return HolidayYear{}, fmt.Errorf("holiday file %d: day %d lacks name, date or isOffDay", y.Year, i)
		}
		day, err := time.ParseInLocation(dateLayout, *d.Date, China)
		if err != nil {
			return HolidayYear{}, fmt.Errorf("holiday file %d: day %d: %w", y.Year, i, err)
		}
		if dy := day.Year(); dy < y.Year-1 || dy > y.Year+1 {
			return HolidayYear{}, fmt.Errorf("holiday file %d: day %d (%s) is far from %d", y.Year, i, *d.Date, y.Year)
		}
		if off, dup := seen[*d.Date]; dup && off != *d.IsOffDay {
			return HolidayYear{}, fmt.Errorf("holiday file %d: %s is listed both off and on", y.Year, *d.Date)
		}
		seen[*d.Date] = *d.IsOffDay
		y.Days = append(y.Days, HolidayDay{Name: *d.Name, Date: *d.Date, Off: *d.IsOffDay})
	}
	return y, nil
}

// HolidayCalendar is China's official working-day calendar: Monday to
// Friday, except the State Council's days off, plus its adjusted working
// weekend days; optionally with a county's own days off (WithCounty). It
// implements Calendar and is safe for concurrent reads.
type HolidayCalendar struct {
	days    map[string]bool // date → off, national notices
	covered map[int]bool    // years whose notice is out
	county  *County         // nil: national calendar only
	local   map[string]string
}

// NewHolidayCalendar builds the national calendar from parsed years. A year
// is covered when its notice lists at least one day (holiday-cn ships an
// empty stub for the next year until the notice is out). Two years that
// contradict each other on a shared date are refused, as is a year given
// twice.
func NewHolidayCalendar(years ...HolidayYear) (*HolidayCalendar, error) {
	c := &HolidayCalendar{days: map[string]bool{}, covered: map[int]bool{}}
	given := map[int]bool{}
	for _, y := range years {
		if given[y.Year] {
			return nil, fmt.Errorf("holidays: year %d given twice", y.Year)
		}
		given[y.Year] = true
		for _, d := range y.Days {
			if prev, ok := c.days[d.Date]; ok && prev != d.Off {
				return nil, fmt.Errorf("holidays: %s in %d contradicts another year's file", d.Date, y.Year)
			}
			c.days[d.Date] = d.Off
		}
		if len(y.Days) > 0 {
			c.covered[y.Year] = true
		}
	}
	return c, nil
}

// LoadHolidays reads every YYYY.json in fsys (for the kiosk:
// assets.Holidays()) into a calendar; see ReadHolidayYears.
func LoadHolidays(fsys fs.FS) (*HolidayCalendar, error) {
	years, err := ReadHolidayYears(fsys)
	if err != nil {
		return nil, err
	}
	return NewHolidayCalendar(years...)
}

// ReadHolidayYears reads and checks every YYYY.json in fsys, in name
// order. Other files (schema.json, README, LICENSE) are ignored; a
// YYYY.json must be for year YYYY.
func ReadHolidayYears(fsys fs.FS) ([]HolidayYear, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("load holidays: %w", err)
	}
	var years []HolidayYear
	for _, name := range names {
		stem := strings.TrimSuffix(path.Base(name), ".json")
		want, err := strconv.Atoi(stem)
		if err != nil || len(stem) != 4 {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load holidays: %w", err)
		}
		y, err := ParseHolidayYear(data)
		if err != nil {
			return nil, fmt.Errorf("load holidays %s: %w", name, err)
		}
		if y.Year != want {
			return nil, fmt.Errorf("load holidays %s: the file is for year %d", name, y.Year)
		}
		years = append(years, y)
	}
	return years, nil
}

// IsWorkingDay implements Calendar: a county day off is off; otherwise an
// official day off is off and an adjusted working day is on; other days go
// by the weekday.
func (c *HolidayCalendar) IsWorkingDay(day time.Time) bool {
	key := day.In(China).Format(dateLayout)
	if _, ok := c.local[key]; ok {
		return false
	}
	if off, ok := c.days[key]; ok {
		return !off
	}
	return WeekendCalendar{}.IsWorkingDay(day)
}

// Covers reports whether the national notice for year is loaded.
func (c *HolidayCalendar) Covers(year int) bool { return c.covered[year] }

// Years lists the covered years in order.
func (c *HolidayCalendar) Years() []int {
	ys := make([]int, 0, len(c.covered))
	for y := range c.covered {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Provisional reports whether day (China time) falls in a year whose
// national notice is not loaded: the weekday rule is a guess there, and
// deadlines counted across it must be recomputed when the notice arrives.
func (c *HolidayCalendar) Provisional(day time.Time) bool {
	return !c.covered[day.In(China).Year()]
}

// County is the county the calendar is layered for, or nil.
func (c *HolidayCalendar) County() *County { return c.county }

// LocalDayOff returns the name of the county's own day off on day, if any.
func (c *HolidayCalendar) LocalDayOff(day time.Time) (string, bool) {
	name, ok := c.local[day.In(China).Format(dateLayout)]
	return name, ok
}

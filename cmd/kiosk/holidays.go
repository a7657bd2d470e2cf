package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"time"

	credit "github.com/gansu-credit/credit"
)

// holidayCalendar is China's official calendar: the weekday rule, with the
// State Council's holidays (off on a weekday) and adjusted working days
// (on at a weekend) from the embedded holiday-cn files. A year without a
// published notice falls back to the weekday rule.
type holidayCalendar struct {
	days map[string]bool // "2006-01-02" → is a day off
}

// holidayFile is one YYYY.json of holiday-cn.
type holidayFile struct {
	Year int `json:"year"`
	Days []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

// loadHolidays reads every *.json in fsys (assets.Holidays()).
func loadHolidays(fsys fs.FS) (*holidayCalendar, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	cal := &holidayCalendar{days: map[string]bool{}}
	for _, name := range names {
		if name == "schema.json" {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("holidays: %w", err)
		}
		if err := cal.add(name, data); err != nil {
			return nil, err
		}
	}
	return cal, nil
}

// add merges one year's file, checking it names its own year.
func (c *holidayCalendar) add(name string, data []byte) error {
	var f holidayFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("holidays %s: %w", name, err)
	}
	if want, err := strconv.Atoi(path.Base(name[:len(name)-len(path.Ext(name))])); err == nil && want != f.Year {
		return fmt.Errorf("holidays %s: the file is for year %d", name, f.Year)
	}
	for i, d := range f.Days {
		day, err := time.ParseInLocation("2006-01-02", d.Date, credit.China)
		if err != nil {
			return fmt.Errorf("holidays %s: day %d: %w", name, i, err)
		}
		// A holiday may spill into the neighbouring year (New Year).
		if y := day.Year(); y < f.Year-1 || y > f.Year+1 {
			return fmt.Errorf("holidays %s: day %d (%s) is far from %d", name, i, d.Date, f.Year)
		}
		if d.IsOffDay == nil {
			return fmt.Errorf("holidays %s: day %d (%s) lacks isOffDay", name, i, d.Date)
		}
		if prev, ok := c.days[d.Date]; ok && prev != *d.IsOffDay {
			return fmt.Errorf("holidays %s: %s contradicts another year's file", name, d.Date)
		}
		c.days[d.Date] = *d.IsOffDay
	}
	return nil
}

// IsWorkingDay implements credit.Calendar.
func (c *holidayCalendar) IsWorkingDay(day time.Time) bool {
	if off, ok := c.days[day.In(credit.China).Format("2006-01-02")]; ok {
		return !off
	}
	return credit.WeekendCalendar{}.IsWorkingDay(day)
}

package main

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
)

func TestHolidayCalendarDeadlines(t *testing.T) {
	cal, err := loadHolidays(assets.Holidays())
	if err != nil {
		t.Fatal(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, credit.China) }
	tests := []struct {
		name                  string
		received              time.Time
		labelDue, decisionDue time.Time
	}{
		// National Day 1-7 Oct 2026 is off; Saturday 10 Oct is worked.
		{"before National Day", day(9, 30), day(10, 8), day(10, 15)},
		// An ordinary Friday: Monday and the Tuesday of the week after next.
		{"ordinary Friday", day(11, 27), day(11, 30), day(12, 8)},
		// Sunday 20 Sep 2026 is an adjusted working day.
		{"before an adjusted working Sunday", day(9, 18), day(9, 20), day(9, 29)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := credit.NewObjection(cal, credit.Objection{ID: credit.NewUUID(), ReceivedAt: tt.received})
			eod := func(d time.Time) time.Time {
				return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, credit.China)
			}
			if !o.LabelDue.Equal(eod(tt.labelDue)) {
				t.Errorf("label due %v, want %v", o.LabelDue, eod(tt.labelDue))
			}
			if !o.DecisionDue.Equal(eod(tt.decisionDue)) {
				t.Errorf("decision due %v, want %v", o.DecisionDue, eod(tt.decisionDue))
			}
		})
	}
	// 2027 has no notice yet: the weekday rule applies.
	if !cal.IsWorkingDay(time.Date(2027, 10, 1, 12, 0, 0, 0, credit.China)) {
		t.Error("2027-10-01 (a Friday, no notice yet) should count as working")
	}
}

func TestHolidayFilesRejected(t *testing.T) {
	tests := []struct {
		name, file, body, want string
	}{
		{"not JSON", "2026.json", "{", "unexpected end"},
		{"wrong year in file", "2026.json", `{"year":2025,"days":[]}`, "for year 2025"},
		{"day far from the year", "2026.json", `{"year":2026,"days":[{"date":"2024-12-31","isOffDay":true}]}`, "far from 2026"},
		{"bad date", "2026.json", `{"year":2026,"days":[{"date":"2026-02-30","isOffDay":true}]}`, "day 0"},
		{"missing isOffDay", "2026.json", `{"year":2026,"days":[{"date":"2026-01-01"}]}`, "lacks isOffDay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadHolidays(fstest.MapFS{tt.file: {Data: []byte(tt.body)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestHolidayFilesContradict(t *testing.T) {
	_, err := loadHolidays(fstest.MapFS{
		"2026.json": {Data: []byte(`{"year":2026,"days":[{"date":"2026-12-31","isOffDay":true}]}`)},
		"2027.json": {Data: []byte(`{"year":2027,"days":[{"date":"2026-12-31","isOffDay":false}]}`)},
	})
	if err == nil || !strings.Contains(err.Error(), "contradicts") {
		t.Errorf("err = %v", err)
	}
}

func FuzzHolidayFile(f *testing.F) {
	f.Add([]byte(`{"year":2026,"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true},{"date":"2026-01-04","isOffDay":false}]}`))
	f.Add([]byte(`{"year":2026,"days":[]}`))
	f.Add([]byte(`{"year":2026,"days":[{"date":"2026-13-01","isOffDay":true}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &holidayCalendar{days: map[string]bool{}}
		if err := c.add("2026.json", data); err != nil {
			return
		}
		for d, off := range c.days {
			day, err := time.ParseInLocation("2006-01-02", d, credit.China)
			if err != nil || day.Year() < 2025 || day.Year() > 2027 {
				t.Fatalf("accepted day %q", d)
			}
			if c.IsWorkingDay(day) == off {
				t.Fatalf("%s: off=%v but IsWorkingDay=%v", d, off, c.IsWorkingDay(day))
			}
		}
	})
}

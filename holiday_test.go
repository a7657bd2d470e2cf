package credit_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	credit "github.com/gansu-credit/credit"
)

// officialCalendar loads the holiday-cn files embedded in assets.
func officialCalendar(t testing.TB) *credit.HolidayCalendar {
	t.Helper()
	cal, err := credit.LoadHolidays(os.DirFS("assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", s, credit.China)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestHolidayCalendarWorkingDays(t *testing.T) {
	cal := officialCalendar(t)
	tests := []struct {
		day     string
		working bool
	}{
		{"2025-01-26 10:00", true},  // Sunday, 调休 for Spring Festival
		{"2025-01-28 10:00", false}, // Spring Festival Eve, Tuesday
		{"2025-02-04 10:00", false}, // last day of Spring Festival
		{"2025-02-08 10:00", true},  // Saturday, 调休
		{"2025-02-09 10:00", false}, // ordinary Sunday
		{"2025-10-08 10:00", false}, // National Day + Mid-Autumn, Wednesday
		{"2025-10-11 10:00", true},  // Saturday, 调休
		{"2026-02-14 10:00", true},  // Saturday, 调休
		{"2026-02-23 10:00", false}, // Monday, Spring Festival
		{"2026-09-20 10:00", true},  // Sunday, 调休
		{"2026-10-07 10:00", false},
		{"2026-11-27 10:00", true}, // ordinary Friday
		{"2027-10-01 10:00", true}, // no 2027 notice yet: weekday rule
	}
	for _, tt := range tests {
		if got := cal.IsWorkingDay(date(t, tt.day)); got != tt.working {
			t.Errorf("%s: working = %v, want %v", tt.day, got, tt.working)
		}
	}
	if got := cal.Years(); len(got) != 7 || got[0] != 2020 || got[6] != 2026 {
		t.Errorf("covered years %v, want 2020–2026 (2027 is a stub)", got)
	}
	if cal.Provisional(date(t, "2026-12-31 23:00")) || !cal.Provisional(date(t, "2027-01-01 00:00")) {
		t.Error("2026 is covered, 2027 is provisional")
	}
	// 2027-01-01 00:30 China time is still 2026 in UTC: China time decides.
	if !cal.Provisional(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)) {
		t.Error("provisional must be judged in China time")
	}
}

func TestDeadline(t *testing.T) {
	national := officialCalendar(t)
	gannan, err := national.WithCounty("623001") // 合作市
	if err != nil {
		t.Fatal(err)
	}
	linxia, err := national.WithCounty("622926") // 东乡族自治县
	if err != nil {
		t.Fatal(err)
	}
	lanzhou, err := national.WithCounty("620102") // 城关区: national only
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		cal         credit.Calendar
		from        string
		n           int
		want        string
		provisional bool
	}{
		{"Spring Festival 2025: 1 WD lands on the 调休 Sunday", national, "2025-01-24 16:00", 1, "2025-01-26", false},
		{"Spring Festival 2025: 3 WD across the holiday", national, "2025-01-26 09:00", 3, "2025-02-06", false},
		{"Spring Festival 2025: 7 WD counts the 调休 Saturday", national, "2025-01-27 09:00", credit.ObjectionDecisionDays, "2025-02-12", false},
		{"National Day 2025: verification 5 WD", national, "2025-09-26 09:00", credit.VerificationDays, "2025-10-10", false},
		{"National Day 2025: decision 7 WD", national, "2025-09-30 09:00", 7, "2025-10-16", false},
		{"Gannan 2025: 9 Oct is off too", gannan, "2025-09-30 09:00", 7, "2025-10-17", false},
		{"Spring Festival 2026: restoration feedback 10 WD", national, "2026-02-13 09:00", credit.RestorationFeedbackDays, "2026-03-05", false},
		{"New Year 2026: 1 WD reaches the 调休 Sunday", national, "2025-12-31 12:00", 1, "2026-01-04", false},
		{"National Day 2026: label 1 WD", national, "2026-09-30 15:00", credit.ObjectionLabelDays, "2026-10-08", false},
		{"National Day 2026: acceptance 3 WD", national, "2026-09-30 15:00", credit.RestorationAcceptDays, "2026-10-10", false},
		{"Gannan 2026: 8 Oct is the founding holiday", gannan, "2026-09-30 15:00", 1, "2026-10-09", false},
		{"Gannan 2026: acceptance 3 WD", gannan, "2026-09-30 15:00", 3, "2026-10-12", false},
		{"Linxia 2026: 19 Nov is off", linxia, "2026-11-18 10:00", 1, "2026-11-20", false},
		{"Lanzhou 2026: 19 Nov is a working day", lanzhou, "2026-11-18 10:00", 1, "2026-11-19", false},
		{"Late December 2026 stays in 2026", national, "2026-12-24 10:00", 3, "2026-12-29", false},
		{"Into 2027: provisional", national, "2026-12-29 10:00", 3, "2027-01-01", true},
		{"Received on 31 Dec 2026: only 2027 is counted", national, "2026-12-31 10:00", 1, "2027-01-01", true},
		{"Weekday calendar never says provisional", credit.WeekendCalendar{}, "2026-12-31 10:00", 1, "2027-01-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end, prov := credit.Deadline(tt.cal, date(t, tt.from), tt.n)
			if got := end.Format("2006-01-02 15:04:05 -0700"); got != tt.want+" 23:59:59 +0800" {
				t.Errorf("deadline %s, want %s 23:59:59 +0800", got, tt.want)
			}
			if prov != tt.provisional {
				t.Errorf("provisional = %v, want %v", prov, tt.provisional)
			}
		})
	}
}

func TestCountyOverrides(t *testing.T) {
	national := officialCalendar(t)
	tests := []struct {
		code, day string
		off       bool
		name      string
	}{
		{"623000", "2025-10-09", true, "州庆"}, // Gannan prefecture, day after Oct 1–8
		{"623027", "2026-10-08", true, "州庆"}, // 夏河县, day after Oct 1–7
		{"623027", "2024-10-08", false, ""},  // rule in force from 2025
		{"623027", "2027-10-08", true, "州庆"}, // 2027: the usual 1–7 Oct assumed
		{"622901", "2025-11-19", true, "州庆"}, // Linxia city, Wednesday
		{"622927", "2028-11-20", true, "州庆"}, // 19 Nov 2028 is a Sunday → Monday
		{"622927", "2028-11-19", false, ""},  // the Sunday itself is not a local day
		{"620102", "2025-10-09", false, ""},  // Lanzhou: national only
		{"620102", "2026-11-19", false, ""},  // Lanzhou: national only
		{"623001", "2026-11-19", false, ""},  // Gannan has no 19 Nov holiday
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.day, func(t *testing.T) {
			cal, err := national.WithCounty(tt.code)
			if err != nil {
				t.Fatal(err)
			}
			name, off := cal.LocalDayOff(date(t, tt.day+" 12:00"))
			if off != tt.off || name != tt.name {
				t.Errorf("local day off = %q %v, want %q %v", name, off, tt.name, tt.off)
			}
			if off && cal.IsWorkingDay(date(t, tt.day+" 12:00")) {
				t.Error("a local day off counted as working")
			}
		})
	}
	if national.County() != nil {
		t.Error("WithCounty changed the national calendar")
	}
	if _, off := national.LocalDayOff(date(t, "2025-10-09 12:00")); off {
		t.Error("WithCounty leaked into the national calendar")
	}
}

func TestWithCountyRefusesBadCodes(t *testing.T) {
	national := officialCalendar(t)
	for _, code := range []string{"", "6230", "62300x", "1101050", "110105", "６２３０００"} {
		_, err := national.WithCounty(code)
		if credit.ErrorCode(err) != credit.EINVALID || credit.ErrorMessage(err) == "" {
			t.Errorf("%q: err = %v, want a clear invalid-input error", code, err)
		}
	}
}

func TestWithLocalRefusesBadRules(t *testing.T) {
	national := officialCalendar(t)
	valid := func() credit.County {
		return credit.County{Prefix: "6299", Name: "测试州",
			Rules: []credit.CountyRule{{Name: "州庆", Kind: credit.RuleFixed, Month: 2, Day: 3, FromYear: 2025, Source: "test"}},
			Dates: []credit.HolidayDay{{Name: "开斋节", Date: "2026-03-20", Off: true}}}
	}
	tests := map[string]func(c *credit.County){
		"unknown kind":       func(c *credit.County) { c.Rules[0].Kind = "lunar" },
		"no such date":       func(c *credit.County) { c.Rules[0].Month, c.Rules[0].Day = 2, 30 },
		"29 February":        func(c *credit.County) { c.Rules[0].Month, c.Rules[0].Day = 2, 29 },
		"bad weekend":        func(c *credit.County) { c.Rules[0].Weekend = "friday" },
		"no source":          func(c *credit.County) { c.Rules[0].Source = " " },
		"year 0":             func(c *credit.County) { c.Rules[0].FromYear = 0 },
		"ends before start":  func(c *credit.County) { c.Rules[0].ToYear = 2024 },
		"bad date":           func(c *credit.County) { c.Dates[0].Date = "2026-03-32" },
		"date not a day off": func(c *credit.County) { c.Dates[0].Off = false },
		"not Gansu":          func(c *credit.County) { c.Prefix = "1101" },
		"no name":            func(c *credit.County) { c.Name = "" },
	}
	for name, mut := range tests {
		c := valid()
		mut(&c)
		if _, err := national.WithLocal(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cal, err := national.WithLocal(valid())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"2026-03-20 12:00", "2026-02-03 12:00", "2027-02-03 12:00"} {
		if cal.IsWorkingDay(date(t, d)) {
			t.Errorf("%s: a local day off counted as working", d)
		}
	}
}

func TestParseHolidayYearRejects(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"not JSON", "{", "unexpected EOF"},
		{"trailing data", `{"year":2026,"papers":[],"days":[]} {}`, "after the JSON"},
		{"missing days", `{"year":2026,"papers":[]}`, "required"},
		{"missing papers", `{"year":2026,"days":[]}`, "required"},
		{"year as string", `{"year":"2026","papers":[],"days":[]}`, "cannot unmarshal"},
		{"absurd year", `{"year":-5,"papers":[],"days":[]}`, "out of range"},
		{"day far from the year", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2024-12-31","isOffDay":true}]}`, "far from 2026"},
		{"no such date", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-02-30","isOffDay":true}]}`, "day 0"},
		{"missing isOffDay", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-01-01"}]}`, "lacks"},
		{"off and on", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-01-01","isOffDay":true},{"name":"x","date":"2026-01-01","isOffDay":false}]}`, "both off and on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := credit.ParseHolidayYear([]byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadHolidaysRejects(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"file for another year", fstest.MapFS{"2026.json": file(`{"year":2025,"papers":[],"days":[]}`)}, "for year 2025"},
		{"bad file named", fstest.MapFS{"2026.json": file(`[]`)}, "2026.json"},
		{"years contradict", fstest.MapFS{
			"2026.json": file(`{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-12-31","isOffDay":true}]}`),
			"2027.json": file(`{"year":2027,"papers":[],"days":[{"name":"x","date":"2026-12-31","isOffDay":false}]}`),
		}, "contradicts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := credit.LoadHolidays(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// schema.json, README and LICENSE are not years.
	cal, err := credit.LoadHolidays(fstest.MapFS{"schema.json": file(`{}`), "LICENSE": file("MIT")})
	if err != nil || len(cal.Years()) != 0 {
		t.Errorf("non-year files: %v %v", cal, err)
	}
}

func TestWithdrawalDue(t *testing.T) {
	from := date(t, "2026-09-30 15:00") // the eve of National Day: holidays do not matter
	if got := credit.WithdrawalDue(from); !got.Equal(date(t, "2026-10-01 15:00")) {
		t.Errorf("withdrawal due %v", got)
	}
}

func FuzzParseHolidayYear(f *testing.F) {
	for _, name := range []string{"2025.json", "2026.json", "2027.json"} {
		data, err := os.ReadFile("assets/holidays/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"year":2026,"papers":[],"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true}]}`))
	f.Add([]byte(`{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-13-01","isOffDay":true}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := credit.ParseHolidayYear(data)
		if err != nil {
			return
		}
		cal, err := credit.NewHolidayCalendar(y)
		if err != nil {
			t.Fatalf("a parsed year is refused alone: %v", err)
		}
		for _, d := range y.Days {
			day, err := time.ParseInLocation("2006-01-02", d.Date, credit.China)
			if err != nil || day.Year() < y.Year-1 || day.Year() > y.Year+1 {
				t.Fatalf("accepted day %q in %d", d.Date, y.Year)
			}
			if cal.IsWorkingDay(day) == d.Off {
				t.Fatalf("%s: off=%v but IsWorkingDay=%v", d.Date, d.Off, cal.IsWorkingDay(day))
			}
		}
		if len(y.Days) > 0 && !cal.Covers(y.Year) {
			t.Fatalf("year %d with days not covered", y.Year)
		}
	})
}

func TestWorkingDaysLate(t *testing.T) {
	cal := officialCalendar(t)
	due, _ := credit.Deadline(cal, date(t, "2026-09-30 15:00"), credit.ObjectionLabelDays) // end of Thu 8 Oct 2026
	tests := []struct {
		now  string
		late int
	}{
		{"2026-10-08 23:59", 0}, // on time
		{"2026-10-09 00:01", 1}, // Friday
		{"2026-10-10 12:00", 2}, // Saturday, 调休 working day
		{"2026-10-11 12:00", 2}, // Sunday: no working day added
		{"2026-10-12 09:00", 3}, // Monday
		{"2026-10-01 09:00", 0}, // before the deadline
	}
	for _, tt := range tests {
		if got := credit.WorkingDaysLate(cal, due, date(t, tt.now)); got != tt.late {
			t.Errorf("now %s: %d working days late, want %d", tt.now, got, tt.late)
		}
	}
	// Overdue over a weekend only: late, but by no working day yet.
	fri := date(t, "2026-11-27 23:59").Add(59 * time.Second)
	if got := credit.WorkingDaysLate(cal, fri, date(t, "2026-11-28 10:00")); got != 0 {
		t.Errorf("Saturday after a Friday deadline: %d", got)
	}
}

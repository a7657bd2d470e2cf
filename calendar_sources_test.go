package credit_test

import (
	"os"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

func embeddedYears(t testing.TB) []credit.HolidayYear {
	t.Helper()
	ys, err := credit.ReadHolidayYears(os.DirFS("assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	return ys
}

func TestMergeYears(t *testing.T) {
	base := []credit.HolidayYear{{Year: 2026}, {Year: 2027, Papers: []string{"stub"}}}
	got := credit.MergeYears(base, []credit.HolidayYear{synth.Notice2027(), {Year: 2025}})
	if len(got) != 3 || got[0].Year != 2025 || got[2].Year != 2027 || len(got[2].Days) != 9 {
		t.Fatalf("merged %+v", got)
	}
}

func TestCalendarSourcesBuild(t *testing.T) {
	base := embeddedYears(t)
	local := []credit.HolidayDay{{Name: "开斋节", Date: "2027-03-10", Off: true}}
	tests := []struct {
		name    string
		src     credit.CalendarSources
		day     string
		working bool
		prov    bool
	}{
		{name: "embedded only: 2027 guessed", src: credit.CalendarSources{Base: base}, day: "2027-10-04 10:00", working: true, prov: true},
		{name: "synced 2027 wins", src: credit.CalendarSources{Base: base, Synced: []credit.HolidayYear{synth.Notice2027()}}, day: "2027-10-04 10:00", working: false},
		{name: "synced adjusted working Saturday", src: credit.CalendarSources{Base: base, Synced: []credit.HolidayYear{synth.Notice2027()}}, day: "2027-10-09 10:00", working: true},
		{name: "Gannan built-in rule", src: credit.CalendarSources{Base: base, County: "623001"}, day: "2026-10-08 10:00", working: false},
		{name: "Gannan rule follows the synced notice", src: credit.CalendarSources{Base: base, Synced: []credit.HolidayYear{synth.Notice2027()}, County: "623001"}, day: "2027-10-08 10:00", working: false},
		{name: "synced counties replace built-in", src: credit.CalendarSources{Base: base, County: "623001", Counties: []credit.County{}}, day: "2026-10-08 10:00", working: true},
		{name: "supervisor's local day", src: credit.CalendarSources{Base: base, Synced: []credit.HolidayYear{synth.Notice2027()}, County: "622901", LocalDays: local}, day: "2027-03-10 10:00", working: false},
		{name: "local day in a county without rules", src: credit.CalendarSources{Base: base, County: "620102", LocalDays: local}, day: "2027-03-10 10:00", working: false, prov: true},
		{name: "national county", src: credit.CalendarSources{Base: base, County: "620102"}, day: "2026-11-19 10:00", working: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := tt.src.Build()
			if err != nil {
				t.Fatal(err)
			}
			d := date(t, tt.day)
			if cal.IsWorkingDay(d) != tt.working || cal.Provisional(d) != tt.prov {
				t.Fatalf("%s: working %v provisional %v", tt.day, cal.IsWorkingDay(d), cal.Provisional(d))
			}
		})
	}
	for name, src := range map[string]credit.CalendarSources{
		"bad county code": {Base: base, County: "110101"},
		"bad local day":   {Base: base, County: "620102", LocalDays: []credit.HolidayDay{{Name: "x", Date: "2027-02-30", Off: true}}},
	} {
		if _, err := src.Build(); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

func TestApplicationDuesAndLateness(t *testing.T) {
	embedded, err := credit.CalendarSources{Base: embeddedYears(t)}.Build()
	if err != nil {
		t.Fatal(err)
	}
	synced, err := credit.CalendarSources{Base: embeddedYears(t), Synced: []credit.HolidayYear{synth.Notice2027()}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		cal           credit.Calendar
		kind          credit.ApplicationKind
		received      string
		first, second string
		prov          bool
	}{
		{"objection in 2026", embedded, credit.KindObjection, "2026-11-27 10:00", "2026-11-30", "2026-12-08", false},
		{"restoration into 2027, guessed", embedded, credit.KindRestoration, "2026-12-28 10:00", "2026-12-31", "2027-01-11", true},
		{"restoration into 2027, notice out", synced, credit.KindRestoration, "2026-12-28 10:00", "2026-12-31", "2027-01-12", false},
		{"objection over National Day 2027, guessed", embedded, credit.KindObjection, "2027-09-30 10:00", "2027-10-01", "2027-10-11", true},
		{"objection over National Day 2027, notice out", synced, credit.KindObjection, "2027-09-30 10:00", "2027-10-08", "2027-10-15", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := credit.ApplicationDues(tt.cal, tt.kind, date(t, tt.received))
			if !ok {
				t.Fatal("unknown kind")
			}
			if got := d.First.Format("2006-01-02"); got != tt.first {
				t.Errorf("first %s, want %s", got, tt.first)
			}
			if got := d.Second.Format("2006-01-02"); got != tt.second {
				t.Errorf("second %s, want %s", got, tt.second)
			}
			if d.Provisional != tt.prov {
				t.Errorf("provisional %v", d.Provisional)
			}
		})
	}
	if _, ok := credit.ApplicationDues(embedded, "moon", time.Now()); ok {
		t.Error("unknown kind counted")
	}

	first, second := date(t, "2026-11-30 23:59"), date(t, "2026-12-08 23:59")
	for _, tt := range []struct {
		status credit.ApplicationStatus
		kind   credit.ApplicationKind
		now    string
		want   string // running due, "" none
		late   int
	}{
		{credit.StatusReceived, credit.KindObjection, "2026-12-02 09:00", "2026-11-30", 2},
		{credit.StatusLabelled, credit.KindObjection, "2026-12-02 09:00", "2026-12-08", 0},
		{credit.StatusUnderReview, credit.KindObjection, "2026-12-14 09:00", "2026-12-08", 4},
		{credit.StatusCorrected, credit.KindObjection, "2026-12-14 09:00", "", 0},
		{credit.StatusAccepted, credit.KindRestoration, "2026-12-09 09:00", "2026-12-08", 1},
		{credit.StatusClosed, credit.KindRestoration, "2027-12-09 09:00", "", 0},
	} {
		due, ok := credit.RunningDue(tt.kind, tt.status, first, second)
		if got := map[bool]string{true: due.Format("2006-01-02")}[ok]; got != tt.want {
			t.Errorf("%s %s: running %q, want %q", tt.kind, tt.status, got, tt.want)
			continue
		}
		over, late := credit.Lateness(embedded, due, date(t, tt.now))
		if late != tt.late || over != (tt.late > 0) {
			t.Errorf("%s %s at %s: overdue %v by %d, want %d", tt.kind, tt.status, tt.now, over, late, tt.late)
		}
	}
	if over, _ := credit.Lateness(embedded, time.Time{}, time.Now()); over {
		t.Error("zero due is late")
	}
}

func TestLiveCalendar(t *testing.T) {
	var live credit.LiveCalendar
	d := date(t, "2026-10-05 10:00") // Monday in the National Day holiday
	if !live.IsWorkingDay(d) || !live.Provisional(d) {
		t.Fatal("empty LiveCalendar: want weekdays, all provisional")
	}
	live.Set(nil)
	cal, err := credit.CalendarSources{Base: embeddedYears(t)}.Build()
	if err != nil {
		t.Fatal(err)
	}
	live.Set(cal)
	if live.IsWorkingDay(d) || live.Provisional(d) || live.Current() != cal {
		t.Fatal("LiveCalendar did not take the calendar")
	}
	if _, prov := credit.Deadline(&live, d, 1); prov {
		t.Fatal("Deadline through LiveCalendar provisional in 2026")
	}
}

func TestValidateLocalDayOff(t *testing.T) {
	ok := credit.LocalDayOff{County: "622901", Date: "2027-03-10", Name: "开斋节"}
	tests := map[string]func(*credit.LocalDayOff){
		"county":       func(d *credit.LocalDayOff) { d.County = "11" },
		"date":         func(d *credit.LocalDayOff) { d.Date = "2027-3-10" },
		"too early":    func(d *credit.LocalDayOff) { d.Date = "1999-03-10" },
		"name":         func(d *credit.LocalDayOff) { d.Name = "" },
		"control char": func(d *credit.LocalDayOff) { d.Name = "a\nb" },
		"long name":    func(d *credit.LocalDayOff) { d.Name = strings.Repeat("节", 41) },
	}
	if err := credit.ValidateLocalDayOff(ok); err != nil {
		t.Fatal(err)
	}
	for name, mut := range tests {
		d := ok
		mut(&d)
		if err := credit.ValidateLocalDayOff(d); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

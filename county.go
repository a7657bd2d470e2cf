package credit

import (
	"fmt"
	"strings"
	"time"
)

// Kinds of CountyRule.
const (
	// RuleFixed is a day off on a fixed month and day each year.
	RuleFixed = "fixed"
	// RuleAfterNationalDay is a day off on the first day after the
	// national National Day holiday ends.
	RuleAfterNationalDay = "after_national_day"
)

// CountyRule is one recurring local day off of an autonomous area, set by
// its people's congress or government under the national holiday measures.
type CountyRule struct {
	Name     string     `json:"name"`              // e.g. 州庆
	Kind     string     `json:"kind"`              // RuleFixed or RuleAfterNationalDay
	Month    time.Month `json:"month,omitempty"`   // RuleFixed
	Day      int        `json:"day,omitempty"`     // RuleFixed
	Weekend  string     `json:"weekend,omitempty"` // RuleFixed: "monday" moves a weekend date to the next Monday; "" keeps it
	FromYear int        `json:"from_year"`         // first year the rule applies
	ToYear   int        `json:"to_year,omitempty"` // last year; 0 = still in force
	Source   string     `json:"source"`            // where the rule comes from
}

// County is the local calendar of one or more counties: every 6-digit
// county code that starts with Prefix. Dates holds one-off days off from
// local notices (Eid, Tibetan New Year …), which change every year.
type County struct {
	Prefix string       `json:"prefix"`
	Name   string       `json:"name"` // Chinese name
	NameEN string       `json:"name_en"`
	Rules  []CountyRule `json:"rules,omitempty"`
	Dates  []HolidayDay `json:"dates,omitempty"` // Off must be true; Name says which day it is
}

// Counties are the local calendars known to this program (domain.md §7.2).
// They are data: add a rule or a year's dates here with its source. A
// county code not matched here follows the national calendar only.
var Counties = []County{
	{
		// 623000 甘南藏族自治州: 合作市 623001, 临潭 623021, 卓尼 623022,
		// 舟曲 623023, 迭部 623024, 玛曲 623025, 碌曲 623026, 夏河 623027.
		Prefix: "6230", Name: "甘南藏族自治州", NameEN: "Gannan Tibetan Autonomous Prefecture",
		Rules: []CountyRule{{
			Name: "州庆", Kind: RuleAfterNationalDay, FromYear: 2025,
			Source: "甘南州人大常委会决定 2024-10-24: 州庆放假调整为国庆节假期结束后的第一天 (repost 595189.com/post/26530.html)",
		}},
	},
	{
		// 622900 临夏回族自治州: 临夏市 622901, 临夏县 622921, 康乐 622922,
		// 永靖 622923, 广河 622924, 和政 622925, 东乡 622926, 积石山 622927.
		Prefix: "6229", Name: "临夏回族自治州", NameEN: "Linxia Hui Autonomous Prefecture",
		Rules: []CountyRule{{
			Name: "州庆", Kind: RuleFixed, Month: time.November, Day: 19, Weekend: "monday", FromYear: 2017,
			Source: "临夏州成立纪念日 11月19日 (1956) 放假一天, 逢周末顺延至周一 (2017 practice; repost liuxue86.com)",
		}},
	},
}

// countyYears bounds the years a county's recurring rules are expanded for.
const countyLastYear = 2100

// ValidCountyCode checks a 6-digit Gansu administrative division code
// (GB/T 2260, Gansu = 62).
func ValidCountyCode(code string) error {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return Errorf(EINVALID, "县区代码应为6位数字。", "A county code has 6 digits.")
	}
	if !strings.HasPrefix(code, "62") {
		return Errorf(EINVALID, "不是甘肃省的县区代码（应以62开头）。", "Not a Gansu county code (it starts with 62).")
	}
	return nil
}

// LookupCounty returns the local calendar for a county code, or nil when the
// county has none.
func LookupCounty(code string) *County { return FindCounty(Counties, code) }

// WithCounty returns a copy of c with the local days off of the county code
// layered on top (domain.md §7.2). A Gansu county without a local calendar
// gets the national one. c itself is not changed.
func (c *HolidayCalendar) WithCounty(code string) (*HolidayCalendar, error) {
	if err := ValidCountyCode(code); err != nil {
		return nil, err
	}
	county := LookupCounty(code)
	if county == nil {
		cp := *c
		cp.county, cp.local = nil, nil
		return &cp, nil
	}
	return c.WithLocal(*county)
}

// WithLocal returns a copy of c with county's days off layered on top of the
// national calendar. It refuses a county that does not validate.
func (c *HolidayCalendar) WithLocal(county County) (*HolidayCalendar, error) {
	if err := county.Validate(); err != nil {
		return nil, fmt.Errorf("county calendar: %w", err)
	}
	local := map[string]string{}
	for _, r := range county.Rules {
		last := r.ToYear
		if last == 0 {
			last = countyLastYear
		}
		for y := r.FromYear; y <= last; y++ {
			day, err := c.ruleDay(r, y)
			if err != nil {
				return nil, fmt.Errorf("county %s: %w", county.Prefix, err)
			}
			local[day.Format(dateLayout)] = r.Name
		}
	}
	for _, d := range county.Dates {
		if _, err := time.ParseInLocation(dateLayout, d.Date, China); err != nil || !d.Off {
			return nil, fmt.Errorf("county %s: date %q must be a valid day off", county.Prefix, d.Date)
		}
		local[d.Date] = d.Name
	}
	cp := *c
	cp.county, cp.local = &county, local
	return &cp, nil
}

// ruleDay is the day off a rule gives in year y.
func (c *HolidayCalendar) ruleDay(r CountyRule, y int) (time.Time, error) {
	switch r.Kind {
	case RuleFixed:
		day := time.Date(y, r.Month, r.Day, 0, 0, 0, 0, China)
		if day.Month() != r.Month || r.Day < 1 {
			return time.Time{}, fmt.Errorf("rule %s: no such date %d-%d", r.Name, r.Month, r.Day)
		}
		switch r.Weekend {
		case "":
		case "monday":
			for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				day = day.AddDate(0, 0, 1)
			}
		default:
			return time.Time{}, fmt.Errorf("rule %s: unknown weekend handling %q", r.Name, r.Weekend)
		}
		return day, nil
	case RuleAfterNationalDay:
		day := time.Date(y, time.October, 1, 0, 0, 0, 0, China)
		if !c.covered[y] {
			// No notice yet: assume the usual 1–7 October; the year is
			// provisional anyway.
			return day.AddDate(0, 0, 7), nil
		}
		for c.days[day.Format(dateLayout)] {
			day = day.AddDate(0, 0, 1)
		}
		return day, nil
	default:
		return time.Time{}, fmt.Errorf("rule %s: unknown kind %q", r.Name, r.Kind)
	}
}

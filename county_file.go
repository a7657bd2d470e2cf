package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// CountyFile is the JSON form of local calendars, for an edited or updated
// set of county overrides (the built-in set is Counties):
//
//	{"counties": [{"prefix": "6230", "name": "甘南藏族自治州", "name_en": "…",
//	  "rules": [{"name": "州庆", "kind": "after_national_day", "from_year": 2025, "source": "…"}],
//	  "dates": [{"name": "开斋节", "date": "2026-03-20", "isOffDay": true}]}]}
type CountyFile struct {
	Counties []County `json:"counties"`
}

// ParseCounties reads and checks a CountyFile. Unknown members are refused
// (a misspelt "from_year" must not silently mean year 0), and so are
// prefixes that overlap, since a county code would then match two.
func ParseCounties(data []byte) ([]County, error) {
	var f CountyFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("county file: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("county file: data after the JSON object")
	}
	if f.Counties == nil {
		return nil, fmt.Errorf("county file: counties is required")
	}
	for i, c := range f.Counties {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("county file: county %d: %w", i, err)
		}
		for j := range i {
			p, q := c.Prefix, f.Counties[j].Prefix
			if strings.HasPrefix(p, q) || strings.HasPrefix(q, p) {
				return nil, fmt.Errorf("county file: prefixes %s and %s overlap", q, p)
			}
		}
	}
	return f.Counties, nil
}

// FindCounty returns the local calendar in counties that covers a county
// code, or nil.
func FindCounty(counties []County, code string) *County {
	for i := range counties {
		if strings.HasPrefix(code, counties[i].Prefix) {
			return &counties[i]
		}
	}
	return nil
}

// Validate checks a local calendar: a Gansu prefix of 4 or 6 digits, a
// name, and rules and dates that are complete, sourced and possible.
func (c County) Validate() error {
	if (len(c.Prefix) != 4 && len(c.Prefix) != 6) || strings.Trim(c.Prefix, "0123456789") != "" || !strings.HasPrefix(c.Prefix, "62") {
		return fmt.Errorf("prefix %q: want 4 or 6 digits starting with 62", c.Prefix)
	}
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("%s: name is required", c.Prefix)
	}
	for i, r := range c.Rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("%s: rule %d: %w", c.Prefix, i, err)
		}
	}
	for i, d := range c.Dates {
		if _, err := time.ParseInLocation(dateLayout, d.Date, China); err != nil {
			return fmt.Errorf("%s: date %d: %w", c.Prefix, i, err)
		}
		if !d.Off || strings.TrimSpace(d.Name) == "" {
			return fmt.Errorf("%s: date %d (%s) must be a named day off", c.Prefix, i, d.Date)
		}
	}
	return nil
}

// validate checks one rule.
func (r CountyRule) validate() error {
	if strings.TrimSpace(r.Name) == "" || strings.TrimSpace(r.Source) == "" {
		return fmt.Errorf("name and source are required")
	}
	if r.FromYear < 1949 || r.FromYear > countyLastYear || (r.ToYear != 0 && (r.ToYear < r.FromYear || r.ToYear > countyLastYear)) {
		return fmt.Errorf("years %d–%d out of range", r.FromYear, r.ToYear)
	}
	switch r.Kind {
	case RuleFixed:
		// The date must exist every year: 29 February does not.
		if r.Month < time.January || r.Month > time.December || r.Day < 1 ||
			time.Date(2001, r.Month, r.Day, 0, 0, 0, 0, China).Month() != r.Month {
			return fmt.Errorf("no date %d-%d every year", r.Month, r.Day)
		}
		if r.Weekend != "" && r.Weekend != "monday" {
			return fmt.Errorf("weekend %q: want \"monday\" or nothing", r.Weekend)
		}
	case RuleAfterNationalDay:
		if r.Month != 0 || r.Day != 0 || r.Weekend != "" {
			return fmt.Errorf("%s takes no month, day or weekend", r.Kind)
		}
	default:
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
	return nil
}

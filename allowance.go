package credit

import (
	"fmt"
	"time"
)

// FreeReportsPerYear is the number of free credit reports a subject gets
// per calendar year (Art. 45; domain.md R2). The count restarts on 1
// January, China time. It is informational: inquiry stays free and
// unlimited (R1), and no report is ever refused for the count.
const FreeReportsPerYear = 2

// ReportAllowance is the "free reports used this year: n of 2" notice
// shown before a report is printed.
type ReportAllowance struct {
	Year int // calendar year, China time
	Used int // reports issued to the subject in Year; may exceed Free
	Free int // FreeReportsPerYear
}

// CountReports builds the allowance as of now from the times the subject's
// reports were issued. Reports of other calendar years (China time) are
// not counted.
func CountReports(issued []time.Time, now time.Time) ReportAllowance {
	year := now.In(China).Year()
	a := ReportAllowance{Year: year, Free: FreeReportsPerYear}
	for _, t := range issued {
		if !t.IsZero() && t.In(China).Year() == year {
			a.Used++
		}
	}
	return a
}

// Remaining is the number of free reports left this year (never negative).
func (a ReportAllowance) Remaining() int { return max(0, a.Free-a.Used) }

// Label is the notice in Chinese and English.
func (a ReportAllowance) Label() (zh, en string) {
	return fmt.Sprintf("%d年免费信用报告已使用：%d / %d 份", a.Year, a.Used, a.Free),
		fmt.Sprintf("Free reports used in %d: %d of %d", a.Year, a.Used, a.Free)
}

package credit

import "time"

// Deadlines of the rights chapter not already declared with the
// applications (ObjectionLabelDays 1 WD and ObjectionDecisionDays 7 WD,
// Art. 46; RestorationAcceptDays 3 WD and RestorationFeedbackDays 10 WD,
// Art. 47 with 国办发〔2025〕22号).
const (
	// VerificationDays: a source unit verifies data the platform queries
	// within 5 working days (Art. 22).
	VerificationDays = 5
	// WithdrawalPeriod: information whose basis was revoked is withdrawn
	// within one day (Art. 48), read strictly as 24 hours, not a working
	// day.
	WithdrawalPeriod = 24 * time.Hour
)

// ProvisionalCalendar is a Calendar that knows where it is guessing.
// HolidayCalendar is one.
type ProvisionalCalendar interface {
	Calendar
	Provisional(day time.Time) bool
}

// Deadline returns the end (23:59:59 China time) of the nth working day
// after the day of from, which itself is not counted (Civil Code Art. 201),
// as AddWorkingDays. provisional is true when any day counted over lies
// where cal has no official notice yet (cal implements ProvisionalCalendar):
// the deadline must be recomputed when the notice arrives. A calendar that
// does not say is taken at its word.
func Deadline(cal Calendar, from time.Time, n int) (end time.Time, provisional bool) {
	end = AddWorkingDays(cal, from, n)
	pc, ok := cal.(ProvisionalCalendar)
	if !ok {
		return end, false
	}
	d := from.In(China)
	day := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, China)
	for !day.After(end) {
		if pc.Provisional(day) {
			return end, true
		}
		day = day.AddDate(0, 0, 1)
	}
	return end, false
}

// maxLateDays bounds the calendar days WorkingDaysLate walks (ten years).
const maxLateDays = 3660

// WithdrawalDue is the moment information must be withdrawn by after the
// revocation of its basis became known at from (Art. 48).
func WithdrawalDue(from time.Time) time.Time { return from.Add(WithdrawalPeriod) }

// WorkingDaysLate is how many working days past due now is (Art. 46:
// overdue items are flagged with how many working days late): the working
// days after the day of due, up to and including the day of now, China
// time. It is 0 while now is not after due, and also when only days off
// have passed since; an item is overdue whenever now.After(due). At most
// maxLateDays calendar days are looked at, so a due decades in the past
// (bad data) cannot hold a screen up.
func WorkingDaysLate(cal Calendar, due, now time.Time) int {
	if !now.After(due) {
		return 0
	}
	d, n := due.In(China), now.In(China)
	day := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, China)
	last := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, China)
	late := 0
	for i := 0; i < maxLateDays && !day.After(last); i, day = i+1, day.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(day) {
			late++
		}
	}
	return late
}

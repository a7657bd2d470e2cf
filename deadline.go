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

// WithdrawalDue is the moment information must be withdrawn by after the
// revocation of its basis became known at from (Art. 48).
func WithdrawalDue(from time.Time) time.Time { return from.Add(WithdrawalPeriod) }

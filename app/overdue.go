package app

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

// Overdue reports whether the platform has missed the deadline now
// running for an application of kind at status, with stored deadlines
// first (label or acceptance) and second (decision or feedback), and by
// how many working days (Art. 46: overdue items are flagged with how many
// working days late). It counts on the service's calendar at the
// service's time, as the office queue does (credit.Lateness); a final
// status or a met deadline is never overdue.
func (s *Service) Overdue(kind credit.ApplicationKind, status credit.ApplicationStatus, first, second time.Time) (overdue bool, workingDays int) {
	due, ok := credit.RunningDue(kind, status, first, second)
	if !ok {
		return false, 0
	}
	return credit.Lateness(s.cal, due, s.now())
}

package app

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

// DuesProvisional reports whether the deadlines of an application of kind
// received at receivedAt are provisional on the service's calendar: they
// were counted over a year whose holiday notice is not out yet (issue #5,
// credit.ApplicationDues), so they are shown marked "provisional" and are
// recounted when the notice arrives. The working-day deadlines themselves
// are Art. 46 (objections) and Art. 47 (restoration).
func (s *Service) DuesProvisional(kind credit.ApplicationKind, receivedAt time.Time) bool {
	return duesProvisional(s.cal, kind, receivedAt)
}

// DuesProvisional is Service.DuesProvisional on the office's calendar, for
// the intake receipt screen (issue #5; Art. 46, Art. 47).
func (o *Office) DuesProvisional(kind credit.ApplicationKind, receivedAt time.Time) bool {
	return duesProvisional(o.cal, kind, receivedAt)
}

func duesProvisional(cal credit.Calendar, kind credit.ApplicationKind, receivedAt time.Time) bool {
	if receivedAt.IsZero() {
		return false
	}
	d, ok := credit.ApplicationDues(cal, kind, receivedAt)
	return ok && d.Provisional
}

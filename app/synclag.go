package app

import (
	"time"

	credit "github.com/gansu-credit/credit"
)

// DeletionLag is how long deletions sent to this device have waited for
// it to acknowledge them as applied, as the platform sees it.
type DeletionLag struct {
	Known   bool          // the platform has reported it
	Waiting int           // deletions not yet acknowledged
	Oldest  time.Duration // age of the oldest of them
}

// Overdue reports whether the oldest waiting deletion is past the one day
// Art. 48 gives to delete withdrawn or restored information once the
// update reaches the device (credit.WithdrawalPeriod).
func (l DeletionLag) Overdue() bool {
	return l.Known && l.Waiting > 0 && l.Oldest > credit.WithdrawalPeriod
}

// Percent is how far the running bootstrap or deltas are, 0-100, or -1
// when the total is unknown.
func (i SyncInfo) Percent() int {
	if i.Total <= 0 {
		return -1
	}
	return int(min(max(i.Done*100/i.Total, 0), 100))
}

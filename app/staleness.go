package app

import "time"

// Staleness is judged on the platform's clock, not the device's (sync.md
// "Decisions taken for this project": 72 h by default; issue #3:
// "deadlines and staleness use server-anchored time and a monotonic
// clock"). The data-as-of time is the platform's time of the last
// complete sync, so comparing it with a device clock set three days
// ahead would call fresh data stale, and one set back would call old data
// current. Deps.ServerNow / OfficeDeps.ServerNow give the estimate of the
// platform's time (cmd/internal/devicesync: the sync client's ServerNow,
// the device clock before any answer).

// isStale reports whether data synced at asOf (a platform time) cannot be
// called current at now (a platform time): never synced, or older than
// after.
func isStale(asOf, now time.Time, after time.Duration) bool {
	return asOf.IsZero() || now.Sub(asOf) > after
}

// orNow is serverNow, or now when the platform's clock is not wired.
func orNow(serverNow, now func() time.Time) func() time.Time {
	if serverNow != nil {
		return serverNow
	}
	return now
}

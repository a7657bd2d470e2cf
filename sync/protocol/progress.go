package protocol

import (
	"strconv"
	"strings"
	"time"
)

// HeaderRemaining answers GET /changes and the first page of GET /snapshot
// with how many changes are still to come after the page, as the platform
// counts them cheaply: head seq − the page's cursor seq for deltas (an
// upper bound: superseded and out-of-scope seqs count too), the rows not
// yet sent for a snapshot. Absent when the platform does not know.
// Clients use it only to show a percentage.
const HeaderRemaining = "Sync-Remaining"

// maxRemaining bounds a Sync-Remaining value a client accepts.
const maxRemaining = 1 << 50

// FormatRemaining is the Sync-Remaining value for n changes still to come.
func FormatRemaining(n int64) string { return strconv.FormatInt(max(n, 0), 10) }

// ParseRemaining reads a Sync-Remaining value: -1 (unknown) when it is
// absent or not a non-negative decimal integer.
func ParseRemaining(v string) int64 {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 16 {
		return -1
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxRemaining || v[0] == '+' {
		return -1
	}
	return n
}

// DeletionLagV1 is the device's deletion lag as the platform sees it, in
// the answer to POST /ack (after this ack is recorded): how many
// tombstones delivered to the device still wait for an ack that they
// were applied, and how long the oldest has waited by the platform's
// clock. Art. 48 gives one day to delete withdrawn or restored
// information once the update reaches the device.
type DeletionLagV1 struct {
	Waiting int   `json:"deletions_waiting"`
	OldestS int64 `json:"oldest_waiting_s"` // seconds; 0 when none wait
}

// Age is the oldest waiting tombstone's age (0 when none wait).
func (d DeletionLagV1) Age() time.Duration { return time.Duration(d.OldestS) * time.Second }

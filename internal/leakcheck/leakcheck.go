// Package leakcheck checks the part of invariant I9 of
// shared/design/sync.md that goleak does not see: the process's open file
// descriptors and sockets return to their baseline once a piece of work
// is over. It reads /proc/self/fd, so it works on Linux only; elsewhere
// Take reports ErrUnsupported and Check skips.
//
// Usage in a test:
//
//	base := leakcheck.Baseline(t)
//	… start and stop the work …
//	leakcheck.Check(t, base)
package leakcheck

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// fdDir lists the open descriptors of this process, one symlink each.
const fdDir = "/proc/self/fd"

// ErrUnsupported is returned by Take where /proc/self/fd does not exist.
var ErrUnsupported = errors.New("leakcheck: /proc/self/fd not available")

// Snapshot is the set of open descriptors at one moment: descriptor
// number → what it refers to ("socket:[123]", "pipe:[9]", a path).
type Snapshot map[string]string

// FDs is the number of open descriptors.
func (s Snapshot) FDs() int { return len(s) }

// Sockets is the number of open sockets (TCP, UDP and Unix alike).
func (s Snapshot) Sockets() int {
	n := 0
	for _, target := range s {
		if strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n
}

// Take records the open descriptors. It first makes the runtime open its
// network poller (epoll and its wake-up descriptor), which it otherwise
// does lazily on the first socket or pipe: opened after the baseline,
// they would look like a leak.
func Take() (Snapshot, error) {
	if r, w, err := os.Pipe(); err == nil {
		_ = r.Close()
		_ = w.Close()
	}
	return read()
}

// Baseline is Take for a test: it fails t on an error, and logs and
// returns nil (Check then checks nothing) where /proc is missing.
func Baseline(t testing.TB) Snapshot {
	t.Helper()
	s, err := Take()
	if errors.Is(err, ErrUnsupported) {
		t.Log(err)
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// read lists fdDir. The descriptor ReadDir itself holds is listed too,
// in every snapshot alike.
func read() (Snapshot, error) {
	entries, err := os.ReadDir(fdDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrUnsupported
	}
	if err != nil {
		return nil, fmt.Errorf("leakcheck: read %s: %w", fdDir, err)
	}
	s := make(Snapshot, len(entries))
	for _, e := range entries {
		target, err := os.Readlink(fdDir + "/" + e.Name())
		if err != nil {
			continue // closed between ReadDir and Readlink
		}
		s[e.Name()] = target
	}
	return s, nil
}

// Extra lists, sorted, the descriptors of s that are not in base with the
// same target: "12 -> socket:[4711]".
func (s Snapshot) Extra(base Snapshot) []string {
	var out []string
	for fd, target := range s {
		if base[fd] != target {
			out = append(out, fd+" -> "+target)
		}
	}
	slices.Sort(out)
	return out
}

// Settle is how long Check waits for descriptors to be closed: the far
// side of a connection closes its end when it reads the EOF, on its own
// goroutine.
var Settle = 5 * time.Second

// Compare reports an error when s holds more descriptors, or more
// sockets, than base; the error lists the descriptors base did not have.
func Compare(base, s Snapshot) error {
	if s.FDs() <= base.FDs() && s.Sockets() <= base.Sockets() {
		return nil
	}
	return fmt.Errorf("leakcheck: %d open descriptors (%d sockets), baseline %d (%d sockets); new: %s",
		s.FDs(), s.Sockets(), base.FDs(), base.Sockets(), strings.Join(s.Extra(base), ", "))
}

// Check fails t unless, within Settle, the open descriptors and sockets
// are back to base (fewer is fine). With no /proc it checks nothing.
func Check(t testing.TB, base Snapshot) {
	t.Helper()
	check(t, base, Compare)
}

// CheckSockets is Check for sockets alone: for a check made while pools
// that may have grown (a database's connections) are still open.
func CheckSockets(t testing.TB, base Snapshot) {
	t.Helper()
	check(t, base, CompareSockets)
}

// CompareSockets is Compare for sockets alone.
func CompareSockets(base, s Snapshot) error {
	if s.Sockets() <= base.Sockets() {
		return nil
	}
	var socks []string
	for _, e := range s.Extra(base) {
		if strings.Contains(e, " -> socket:") {
			socks = append(socks, e)
		}
	}
	return fmt.Errorf("leakcheck: %d open sockets, baseline %d; new: %s", s.Sockets(), base.Sockets(), strings.Join(socks, ", "))
}

// check polls until compare finds nothing or Settle has passed.
func check(t testing.TB, base Snapshot, compare func(base, s Snapshot) error) {
	t.Helper()
	if base == nil {
		return
	}
	deadline := time.Now().Add(Settle)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		s, err := read()
		if err != nil {
			t.Errorf("leakcheck: %v", err)
			return
		}
		err = compare(base, s)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Error(err)
			return
		}
		time.Sleep(wait)
	}
}

// Package failpoint kills the own process at named points of the sync
// path, so that crash tests (sync.md §3, F13 and F14) can run a client as
// a subprocess and SIGKILL it exactly there.
//
// A point is armed through the environment before the process starts:
//
//	CREDIT_FAILPOINT=store.apply.committed      # die at the first hit
//	CREDIT_FAILPOINT=store.apply.committed:3    # die at the third hit
//
// When the variable is unset, Hit costs one atomic load and returns. An
// in-process Observe hook (for tests that copy files at each point
// instead of dying) is also called at every hit.
package failpoint

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// EnvVar is the environment variable that arms a failpoint.
const EnvVar = "CREDIT_FAILPOINT"

// Spec is a parsed EnvVar value: die at the Count-th hit of Name.
type Spec struct {
	Name  string
	Count int64
}

// maxNameLen bounds a point's name; names are short dotted words.
const maxNameLen = 64

// Parse reads "name" or "name:count" (count ≥ 1, default 1). Names are
// made of letters, digits and . _ - / only.
func Parse(s string) (Spec, error) {
	name, count, hasCount := strings.Cut(strings.TrimSpace(s), ":")
	if name == "" {
		return Spec{}, fmt.Errorf("failpoint: %q: empty point name (want name or name:count)", s)
	}
	if len(name) > maxNameLen {
		return Spec{}, fmt.Errorf("failpoint: %q: point name longer than %d bytes", s, maxNameLen)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/", r)) {
			return Spec{}, fmt.Errorf("failpoint: %q: character %q not allowed in a point name", s, r)
		}
	}
	sp := Spec{Name: name, Count: 1}
	if hasCount {
		n, err := strconv.ParseInt(count, 10, 64)
		if err != nil || n < 1 {
			return Spec{}, fmt.Errorf("failpoint: %q: count %q is not a whole number ≥ 1", s, count)
		}
		sp.Count = n
	}
	return sp, nil
}

// String formats sp as Parse reads it.
func (sp Spec) String() string { return sp.Name + ":" + strconv.FormatInt(sp.Count, 10) }

// Env returns the EnvVar=value entry that arms sp in a child process.
func (sp Spec) Env() string { return EnvVar + "=" + sp.String() }

// state is what is armed; nil means nothing is and Hit returns at once.
type state struct {
	spec    Spec // Name "" when only a hook is set
	hits    atomic.Int64
	observe func(name string)
}

var active atomic.Pointer[state]

// kill ends the process; a variable so the package's own tests can see
// that it would have been called.
var kill = func() {
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Kill() // SIGKILL on Unix, TerminateProcess on Windows
	}
	// Signal delivery is asynchronous: do nothing more until it lands.
	time.Sleep(10 * time.Second)
	os.Exit(137)
}

func init() {
	v, ok := os.LookupEnv(EnvVar)
	if !ok || v == "" {
		return
	}
	sp, err := Parse(v)
	if err != nil {
		// A mistyped test setting must not take a terminal down.
		fmt.Fprintf(os.Stderr, "%v; no failpoint armed\n", err)
		return
	}
	active.Store(&state{spec: sp})
}

// Hit marks that the process reached the point name. If name is armed and
// this is its Count-th hit, the process is killed and Hit never returns.
func Hit(name string) {
	s := active.Load()
	if s == nil {
		return
	}
	if s.observe != nil {
		s.observe(name)
	}
	if s.spec.Name == name && s.hits.Add(1) == s.spec.Count {
		kill()
	}
}

// Observe installs fn to be called at every hit of any point (before a
// kill), replacing an earlier hook; Observe(nil) removes it. It is meant
// for tests, e.g. to copy database files at each point (F14). fn runs on
// the caller's goroutine and must not call Hit.
func Observe(fn func(name string)) {
	for {
		old := active.Load()
		next := &state{observe: fn}
		if old != nil {
			next.spec = old.spec
			next.hits.Store(old.hits.Load())
		}
		if next.spec.Name == "" && fn == nil {
			next = nil
		}
		if active.CompareAndSwap(old, next) {
			return
		}
	}
}

package leakcheck

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	base := Snapshot{"0": "/dev/null", "1": "pipe:[1]", "3": "socket:[7]"}
	tests := []struct {
		name string
		now  Snapshot
		want string // "" for no error, else a part of it
	}{
		{"same", Snapshot{"0": "/dev/null", "1": "pipe:[1]", "3": "socket:[7]"}, ""},
		{"fewer", Snapshot{"0": "/dev/null"}, ""},
		{"a file more", Snapshot{"0": "/dev/null", "1": "pipe:[1]", "3": "socket:[7]", "4": "/tmp/x.db"}, "4 -> /tmp/x.db"},
		{"a socket for a file", Snapshot{"0": "/dev/null", "1": "pipe:[1]", "3": "socket:[8]", "4": "socket:[9]"}, "4 open descriptors (2 sockets), baseline 3 (1 sockets)"},
		{"a socket in a file's place", Snapshot{"0": "socket:[5]", "1": "pipe:[1]", "3": "socket:[7]"}, "0 -> socket:[5]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Compare(base, tt.now)
			if serr := CompareSockets(base, tt.now); (serr != nil) != (tt.now.Sockets() > base.Sockets()) {
				t.Errorf("CompareSockets: %v", serr)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Compare: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Compare: %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// recorder is a testing.TB that keeps the failures Check reports.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Error(args ...any) { r.failed = append(r.failed, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

// A real file and a real connection opened after the baseline are found,
// named by what they are, and no longer once closed; a descriptor closed
// within Settle is not a leak.
func TestCheck(t *testing.T) {
	base := Baseline(t)
	if base == nil {
		t.Skip("no /proc")
	}
	path := filepath.Join(t.TempDir(), "kiosk.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := net.Dial("tcp", ln.Addr().String()) // a second, never accepted: still a socket
	if err != nil {
		t.Fatal(err)
	}

	old := Settle
	Settle = 50 * time.Millisecond
	defer func() { Settle = old }()
	r := &recorder{TB: t}
	CheckSockets(r, base)
	if len(r.failed) != 1 || strings.Contains(r.failed[0], path) || !strings.Contains(r.failed[0], "3 open sockets") {
		t.Fatalf("sockets: %q", r.failed)
	}
	r.failed = nil
	Check(r, base)
	if len(r.failed) != 1 || !strings.Contains(r.failed[0], path) || !strings.Contains(r.failed[0], "socket:[") {
		t.Fatalf("open file and sockets: %q", r.failed)
	}

	for _, cl := range []interface{ Close() error }{f, ln, c, s} {
		_ = cl.Close()
	}
	r.failed = nil
	Check(r, base)
	if len(r.failed) != 0 {
		t.Errorf("all closed: %q", r.failed)
	}

	// Closed a little later, within Settle: fine.
	g, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	Settle = 10 * time.Second
	time.AfterFunc(30*time.Millisecond, func() { _ = g.Close() })
	Check(r, base)
	if len(r.failed) != 0 {
		t.Errorf("closed within Settle: %q", r.failed)
	}
}

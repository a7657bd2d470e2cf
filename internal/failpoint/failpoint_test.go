package failpoint

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Spec
		wantErr string
	}{
		{in: "store.apply.committed", want: Spec{"store.apply.committed", 1}},
		{in: " syncclient.push.sent:3 ", want: Spec{"syncclient.push.sent", 3}},
		{in: "a/b_c-d:1", want: Spec{"a/b_c-d", 1}},
		{in: "", wantErr: "empty point name"},
		{in: ":2", wantErr: "empty point name"},
		{in: "x:0", wantErr: "not a whole number"},
		{in: "x:-1", wantErr: "not a whole number"},
		{in: "x:", wantErr: "not a whole number"},
		{in: "x:two", wantErr: "not a whole number"},
		{in: "x:1:2", wantErr: "not a whole number"},
		{in: "x y", wantErr: "not allowed"},
		{in: "金丝雀", wantErr: "not allowed"},
		{in: strings.Repeat("a", maxNameLen+1), wantErr: "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) = %+v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			if back, err := Parse(got.String()); err != nil || back != got {
				t.Fatalf("round trip of %q: %+v, %v", got.String(), back, err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"store.apply.committed", "a:2", ":", "x:0", "x:99999999999999999999", "a:b:c", "\x00", " p:1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := Parse(s)
		if err != nil {
			if sp != (Spec{}) {
				t.Fatalf("error with a non-zero spec: %+v", sp)
			}
			return
		}
		if sp.Name == "" || sp.Count < 1 || len(sp.Name) > maxNameLen {
			t.Fatalf("Parse(%q) accepted %+v", s, sp)
		}
		if back, err := Parse(sp.String()); err != nil || back != sp {
			t.Fatalf("round trip %q → %+v → %q → %+v, %v", s, sp, sp.String(), back, err)
		}
	})
}

// arm sets the active state for one test and counts would-be kills.
func arm(t *testing.T, sp Spec) *int {
	t.Helper()
	kills := 0
	oldKill, oldState := kill, active.Load()
	kill = func() { kills++ }
	active.Store(&state{spec: sp})
	t.Cleanup(func() { kill = oldKill; active.Store(oldState) })
	return &kills
}

func TestHitKillsAtTheCountedHit(t *testing.T) {
	kills := arm(t, Spec{Name: "p", Count: 3})
	var seen []string
	Observe(func(name string) { seen = append(seen, name) })
	for i, name := range []string{"p", "q", "p", "p", "p"} {
		Hit(name)
		want := 0
		if i >= 3 {
			want = 1
		}
		if *kills != want {
			t.Fatalf("after hit %d (%s): %d kills, want %d", i, name, *kills, want)
		}
	}
	if strings.Join(seen, ",") != "p,q,p,p,p" {
		t.Fatalf("observed %v", seen)
	}
	Observe(nil)
	Hit("p")
	if len(seen) != 5 {
		t.Fatal("the hook was called after Observe(nil)")
	}
	if active.Load() == nil {
		t.Fatal("Observe(nil) disarmed the failpoint")
	}
}

func TestUnarmedHitDoesNothing(t *testing.T) {
	kills := arm(t, Spec{})
	active.Store(nil)
	Observe(nil)
	if active.Load() != nil {
		t.Fatal("Observe(nil) with nothing armed left a state")
	}
	Hit("anything")
	if *kills != 0 {
		t.Fatal("unarmed hit killed")
	}
}

func BenchmarkHitUnarmed(b *testing.B) {
	old := active.Load()
	active.Store(nil)
	defer active.Store(old)
	for b.Loop() {
		Hit("store.apply.committed")
	}
}

const childEnv = "FAILPOINT_TEST_CHILD"

// TestKillsTheProcess re-executes this test binary with a point armed
// through the environment: the child must die by SIGKILL at the second
// hit, after printing what came before.
func TestKillsTheProcess(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		Hit("child.point")
		os.Stdout.WriteString("after first hit\n")
		Hit("child.point")
		os.Stdout.WriteString("after second hit\n")
		os.Exit(0)
	}
	tests := []struct {
		name, env  string
		wantKilled bool
		wantOut    string
	}{
		{"armed at the second hit", "child.point:2", true, "after first hit\n"},
		{"other point armed", "other.point", false, "after first hit\nafter second hit\n"},
		{"malformed setting ignored", "child.point:zero", false, "after first hit\nafter second hit\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKillsTheProcess$")
			cmd.Env = append(os.Environ(), childEnv+"=1", EnvVar+"="+tt.env)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if string(out) != tt.wantOut {
				t.Errorf("child printed %q, want %q", out, tt.wantOut)
			}
			var ee *exec.ExitError
			killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
			if killed != tt.wantKilled {
				t.Fatalf("child killed=%v (err %v), want %v; stderr %s", killed, err, tt.wantKilled, stderr.String())
			}
			if !tt.wantKilled && err != nil {
				t.Fatalf("child failed: %v; stderr %s", err, stderr.String())
			}
			if strings.Contains(tt.env, "zero") && !strings.Contains(stderr.String(), "no failpoint armed") {
				t.Errorf("malformed setting not reported: %q", stderr.String())
			}
		})
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A short real run: its own syncserver on 127.0.0.1, a few devices
// enrolled through POST /enroll, signed pulls with a writer on, and the
// profiles written.
func TestLoadgenRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"--devices", "4", "--duration", "700ms", "--seed-n", "5", "--withdraw-every", "100ms",
		"--db", filepath.Join(dir, "server.db"),
		"--cpuprofile", filepath.Join(dir, "cpu"), "--blockprofile", filepath.Join(dir, "block"), "--mutexprofile", filepath.Join(dir, "mutex")}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	for _, want := range []string{"enrolled 4 devices", "latency p50", "errors 0", "process CPU"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, p := range []string{"cpu", "block", "mutex"} {
		if st, err := os.Stat(filepath.Join(dir, p)); err != nil || st.Size() == 0 {
			t.Errorf("%s profile: %v", p, err)
		}
	}
}

func TestLoadgenBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no devices", []string{"--devices", "0"}, "--devices"},
		{"long run", []string{"--duration", "11m"}, "--duration"},
		{"server without db", []string{"--server", "http://127.0.0.1:1"}, "--db"},
		{"unknown flag", []string{"--nope"}, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tt.want)
			}
		})
	}
}

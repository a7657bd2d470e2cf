package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

func TestCardPortsProbe(t *testing.T) {
	sim := startCardSim(t, &simCard, samsim.Faults{})
	master, silent, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	go io.Copy(io.Discard, master) // a port on which nothing answers

	dir := t.TempDir()
	for name, target := range map[string]string{"a-silent": silent, "b-reader": sim} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	old := portGlobs
	t.Cleanup(func() { portGlobs = old })
	portGlobs = []string{filepath.Join(dir, "*")}
	state := filepath.Join(t.TempDir(), "state", "port")
	if err := os.Mkdir(filepath.Dir(state), 0o755); err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"card", "ports", "--probe", "--state", state}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "a-silent -> "+silent) || !strings.Contains(lines[0], "no reader: The card reader does not respond") ||
		!strings.Contains(lines[1], "b-reader -> "+sim) || !strings.Contains(lines[1], "reader answers") {
		t.Fatalf("output:\n%s", out.String())
	}
	if b, err := os.ReadFile(state); err != nil || strings.TrimSpace(string(b)) != filepath.Join(dir, "b-reader") {
		t.Fatalf("state %q, %v", b, err)
	}

	// Only the silent port: exit 1 with the zh/en message.
	portGlobs = []string{filepath.Join(dir, "a-*")}
	out.Reset()
	errb.Reset()
	if code := Main(t.Context(), []string{"card", "ports", "--probe"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "No ID-card reader found") {
		t.Fatalf("silent only: exit %d, %q", code, errb.String())
	}
	if code := Main(t.Context(), []string{"card", "ports", "--probe", "--timeout", "0s"}, &out, &errb); code != 2 {
		t.Fatalf("--timeout 0s: exit %d", code)
	}
}

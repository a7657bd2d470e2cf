package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDeviceScope: `device scope` changes the scope of a registered device
// (as `device list` shows it), "" makes it the whole province, and a
// forgotten flag, a bad scope or an unknown device change nothing.
func TestDeviceScope(t *testing.T) {
	db := filepath.Join(t.TempDir(), "platform.db")
	if code, _, errs := run(t, "device", "add", "--db", db, "--id", "KIOSK-1", "--scope", "620102"); code != 0 {
		t.Fatalf("device add: %s", errs)
	}
	tests := []struct {
		name      string
		args      []string
		code      int
		out, errs string
		listed    string // KIOSK-1's scope in `device list` afterwards
	}{
		{"two counties", []string{"--id", "KIOSK-1", "--scope", "620103, 620102"}, 0, "serves 620103, 620102", "", "scope 620102,620103\t"},
		{"a city", []string{"--id", "KIOSK-1", "--scope", "6204"}, 0, "resyncs", "", "scope 6204\t"},
		{"no --scope", []string{"--id", "KIOSK-1"}, 2, "", "--scope is required", "scope 6204\t"},
		{"bad scope", []string{"--id", "KIOSK-1", "--scope", "62010x"}, 1, "", "division-code prefixes", "scope 6204\t"},
		{"too long", []string{"--id", "KIOSK-1", "--scope", "6201021"}, 1, "", "division-code prefixes", "scope 6204\t"},
		{"unknown device", []string{"--id", "KIOSK-9", "--scope", "620102"}, 1, "", "KIOSK-9", "scope 6204\t"},
		{"no --id", []string{"--scope", "620102"}, 2, "", "--id is required", "scope 6204\t"},
		{"whole province", []string{"--id", "KIOSK-1", "--scope", ""}, 0, "the whole province", "", "scope -\t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"device", "scope", "--db", db}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, errs, tt.code, tt.out, tt.errs)
			}
			_, list, _ := run(t, "device", "list", "--db", db)
			if !strings.Contains(list, "KIOSK-1\t"+tt.listed) {
				t.Errorf("device list: %q, want KIOSK-1 with %q", list, tt.listed)
			}
		})
	}
}

package printing

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// Printers runs the lpstat found in PATH (a fake script here): the
// destinations it lists, none when CUPS has none, and a plain refusal
// when the scheduler is down or lpstat is not installed.
func TestPrintersFromLPStat(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake lpstat is a shell script")
	}
	for _, tt := range []struct {
		name, script string
		want         []string
		code         string
	}{
		{"listed", "[ \"$1\" = -e ] || exit 2\nprintf 'Office_A4\\nHP_M404\\n'", []string{"Office_A4", "HP_M404"}, ""},
		{"none", "echo 'lpstat: No destinations added.' >&2; exit 1", nil, ""},
		{"down", "echo 'lpstat: Scheduler is not running.' >&2; exit 1", nil, credit.EUNAVAILABLE},
		{"missing", "", nil, credit.EUNAVAILABLE},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.script != "" {
				if err := os.WriteFile(filepath.Join(dir, "lpstat"), []byte("#!/bin/sh\n"+tt.script+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("PATH", dir)
			got, err := Printers(t.Context())
			if tt.code == "" && err != nil || tt.code != "" && credit.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want code %q", err, tt.code)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

package winprint

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// A fake PowerShell answers as Get-Printer does (CRLF lines, a blank
// line); one that fails is EUNAVAILABLE.
func TestListerPrinters(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake PowerShell is a shell script")
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		name, script string
		want         []string
		code         string
	}{
		{"listed", "printf 'HP LaserJet M404\\r\\nMicrosoft Print to PDF\\r\\n\\r\\n'", []string{"HP LaserJet M404", "Microsoft Print to PDF"}, ""},
		{"none", "exit 0", nil, ""},
		{"fails", "echo 'Get-Printer : The spooler service is not reachable.' >&2; exit 1", nil, credit.EUNAVAILABLE},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exe := filepath.Join(dir, tt.name)
			if err := os.WriteFile(exe, []byte("#!/bin/sh\n"+tt.script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			got, err := Lister{PowerShell: exe}.Printers(t.Context())
			if credit.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("err %v, want code %q", err, tt.code)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := (Lister{PowerShell: filepath.Join(dir, "missing")}).Printers(t.Context()); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("missing PowerShell: %v", err)
	}
}

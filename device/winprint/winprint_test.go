package winprint_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/cups"
	"github.com/gansu-credit/credit/device/winprint"
)

func TestArgs(t *testing.T) {
	tests := []struct {
		name, printer, file string
		want                []string
	}{
		{"default printer", "", `C:\spool\a.pdf`, []string{"-print-to-default", "-print-settings", "noscale,paper=A4", "-silent", `C:\spool\a.pdf`}},
		{"named printer", "HP LaserJet 400 \"A4\"", `C:\spool\b.pdf`, []string{"-print-to", "HP LaserJet 400 \"A4\"", "-print-settings", "noscale,paper=A4", "-silent", `C:\spool\b.pdf`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := winprint.Args(tt.printer, tt.file); !slices.Equal(got, tt.want) {
				t.Errorf("Args = %q, want %q", got, tt.want)
			}
		})
	}
}

// fakeSumatra writes a SumatraPDF stand-in that records its arguments
// (NUL-separated) and the file, or fails when dir/fail exists.
func fakeSumatra(t *testing.T) (exe, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake SumatraPDF is a shell script")
	}
	dir = t.TempDir()
	exe = filepath.Join(dir, "SumatraPDF")
	script := `#!/bin/sh
d='` + dir + `'
if [ -f "$d/fail" ]; then echo "Error: printer not found"; exit 1; fi
: > "$d/argv"
for a in "$@"; do printf '%s\0' "$a" >> "$d/argv"; last="$a"; done
cp "$last" "$d/printed.pdf"
`
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return exe, dir
}

// Through device/cups's spool: printed with actual size on the named
// printer; a failure keeps the document, and Retry prints it.
func TestSubmitThroughSpool(t *testing.T) {
	exe, dir := fakeSumatra(t)
	pdf := []byte("%PDF-1.7 report")
	p := cups.New(cups.Config{Printer: "Office A4", SpoolDir: filepath.Join(t.TempDir(), "spool"), Submit: winprint.Sumatra{Path: exe}.Submit})

	if err := os.WriteFile(filepath.Join(dir, "fail"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := p.PrintPDF(t.Context(), "公共信用信息报告", pdf)
	id, kept := cups.KeptID(err)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !kept || !strings.Contains(err.Error(), "printer not found") {
		t.Fatalf("failed print: %v (kept %v)", err, kept)
	}
	if pending, _ := p.Pending(t.Context()); len(pending) != 1 {
		t.Fatalf("%d documents kept", len(pending))
	}

	if err := os.Remove(filepath.Join(dir, "fail")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Retry(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	argv, err := os.ReadFile(filepath.Join(dir, "argv"))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSuffix(string(argv), "\x00"), "\x00")
	if len(args) != 6 || args[0] != "-print-to" || args[1] != "Office A4" || args[3] != winprint.PrintSettings || !strings.HasSuffix(args[5], ".pdf") {
		t.Errorf("SumatraPDF got %q", args)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "printed.pdf")); string(got) != string(pdf) {
		t.Errorf("printed %q", got)
	}
	if pending, _ := p.Pending(t.Context()); len(pending) != 0 {
		t.Errorf("%d documents still kept after printing", len(pending))
	}
}

func TestSubmitWithoutSumatra(t *testing.T) {
	s := winprint.Sumatra{Path: filepath.Join(t.TempDir(), "SumatraPDF.exe")}
	_, err := s.Submit(t.Context(), "", "t", "x.pdf")
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessageEN(err), "not installed") {
		t.Fatalf("missing SumatraPDF: %v", err)
	}
}

// The Windows build of the printing packages compiles and vets without
// cgo or mingw (the GUI's `make windows` needs mingw; these do not).
func TestWindowsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Skip("no go toolchain at GOROOT")
	}
	cmd := exec.CommandContext(t.Context(), goBin, "vet", "./device/winprint", "./device/cups")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=windows go vet: %v\n%s", err, out)
	}
}

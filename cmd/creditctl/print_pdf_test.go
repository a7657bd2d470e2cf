package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// fakeCUPSPath puts a fake lp and lpstat first in PATH. lp records its
// arguments (NUL-separated) in DIR/lp.argv and fails with DIR/fail's text
// if that file exists; lpstat lists the printers Office and PRN, PRN
// being the default.
func fakeCUPSPath(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake lp is a shell script")
	}
	dir := t.TempDir()
	scripts := map[string]string{
		"lp": `#!/bin/sh
d='@DIR@'
: > "$d/lp.argv"
for a in "$@"; do printf '%s\0' "$a" >> "$d/lp.argv"; done
if [ -f "$d/fail" ]; then cat "$d/fail" >&2; exit 1; fi
echo "request id is PRN-42 (1 file(s))"
`,
		"lpstat": `#!/bin/sh
case "$1" in
-e) printf 'Office\nPRN\n' ;;
-d) echo 'system default destination: PRN' ;;
*) exit 1 ;;
esac
`,
	}
	for name, s := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.ReplaceAll(s, "@DIR@", dir)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

func runCtl(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPrintPDF(t *testing.T) {
	dir := fakeCUPSPath(t)
	spool := filepath.Join(t.TempDir(), "spool")
	pdf := filepath.Join(t.TempDir(), "BG-620102-0001.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCtl(t, "print", "pdf", "--printer", "PRN", "--spool", spool, pdf)
	if code != 0 || !strings.Contains(out, "job PRN-42 accepted") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "lp.argv"))
	argv := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	want := []string{"-d", "PRN", "-t", "BG-620102-0001", "-o", "print-scaling=none", "-o", "media=A4", "--"}
	if len(argv) != len(want)+1 || !slices.Equal(argv[:len(want)], want) {
		t.Errorf("lp argv = %q, want %q + file", argv, want)
	}

	// Refused: kept, listed, retried, then gone.
	if err := os.WriteFile(filepath.Join(dir, "fail"), []byte("lp: Error - scheduler not responding."), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCtl(t, "print", "pdf", "--spool", spool, "--title", "报告", pdf)
	if code != 1 || !strings.Contains(errs, "The print service (CUPS) is not running") || !strings.Contains(errs, "creditctl print retry ") {
		t.Fatalf("refused job: exit %d, stderr %q", code, errs)
	}
	code, out, _ = runCtl(t, "print", "pending", "--spool", spool)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 1 || !strings.Contains(lines[0], "attempts=1") {
		t.Fatalf("pending: exit %d, %q", code, out)
	}
	id := strings.Fields(lines[0])[0]
	if err := os.Remove(filepath.Join(dir, "fail")); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCtl(t, "print", "retry", "--spool", spool, id); code != 0 || !strings.Contains(out, "PRN-42") {
		t.Fatalf("retry: exit %d, %q %q", code, out, errs)
	}
	if code, out, _ := runCtl(t, "print", "pending", "--spool", spool); code != 0 || out != "" {
		t.Errorf("pending after retry: exit %d, %q", code, out)
	}
	if code, _, errs := runCtl(t, "print", "discard", "--spool", spool, id); code != 1 || !strings.Contains(errs, "No such document") {
		t.Errorf("discarding a printed job: exit %d, %q", code, errs)
	}
}

func TestPrintPrinters(t *testing.T) {
	fakeCUPSPath(t)
	for _, args := range [][]string{{"print", "printers"}, {"print", "pdf", "--list"}} {
		code, out, errs := runCtl(t, args...)
		if code != 0 || out != "  Office\n* PRN\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

func TestPrintPDFUsageAndMissingLP(t *testing.T) {
	for _, args := range [][]string{{"print", "pdf"}, {"print", "pdf", "a.pdf", "b.pdf"}, {"print", "retry"}, {"print", "pdf", "--list", "x"}} {
		if code, _, errs := runCtl(t, args...); code != 2 || !strings.Contains(errs, "creditctl print pdf") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the usage", args, code, errs)
		}
	}
	t.Setenv("PATH", t.TempDir())
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCtl(t, "print", "pdf", "--spool", t.TempDir(), pdf)
	if code != 1 || !strings.Contains(errs, "lp (package cups-client) is not installed") {
		t.Errorf("no lp: exit %d, stderr %q", code, errs)
	}
	// The ESC/POS subcommands still dispatch as before.
	if code, _, errs := runCtl(t, "print", "bogus"); code != 2 || !strings.Contains(errs, "creditctl print test") {
		t.Errorf("unknown print subcommand: exit %d, %q", code, errs)
	}
}

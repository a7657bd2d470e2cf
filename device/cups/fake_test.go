package cups_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// fakeCUPS is a fake lp and lpstat: shell scripts in a temporary
// directory that record their arguments (NUL-separated, one file per
// call) and answer as CUPS does. Writing a "fail" file makes lp print its
// content on standard error and exit 1; "lpstat.out" is lpstat's answer
// and "lpstat.fail" makes it fail the same way.
type fakeCUPS struct {
	t            *testing.T
	dir          string
	lp, lpstat   string
	lpN, lpstatN int
}

const fakeLP = `#!/bin/sh
d='@DIR@'
n=$(( $(cat "$d/lp.calls" 2>/dev/null || echo 0) + 1 ))
echo $n > "$d/lp.calls"
: > "$d/lp.argv.$n"
for a in "$@"; do printf '%s\0' "$a" >> "$d/lp.argv.$n"; done
if [ -f "$d/fail" ]; then cat "$d/fail" >&2; exit 1; fi
for a in "$@"; do last="$a"; done
cp "$last" "$d/printed.$n" || exit 1
echo "request id is PRN-$((100 + n)) (1 file(s))"
`

const fakeLPStat = `#!/bin/sh
d='@DIR@'
n=$(( $(cat "$d/lpstat.calls" 2>/dev/null || echo 0) + 1 ))
echo $n > "$d/lpstat.calls"
: > "$d/lpstat.argv.$n"
for a in "$@"; do printf '%s\0' "$a" >> "$d/lpstat.argv.$n"; done
if [ -f "$d/lpstat.fail" ]; then cat "$d/lpstat.fail" >&2; exit 1; fi
cat "$d/lpstat.out" 2>/dev/null
exit 0
`

func newFakeCUPS(t *testing.T) *fakeCUPS {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake lp is a shell script")
	}
	dir := t.TempDir()
	f := &fakeCUPS{t: t, dir: dir, lp: filepath.Join(dir, "lp"), lpstat: filepath.Join(dir, "lpstat")}
	for path, script := range map[string]string{f.lp: fakeLP, f.lpstat: fakeLPStat} {
		if err := os.WriteFile(path, []byte(strings.ReplaceAll(script, "@DIR@", dir)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fakeCUPS) write(name, content string) {
	f.t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeCUPS) remove(name string) {
	f.t.Helper()
	if err := os.Remove(filepath.Join(f.dir, name)); err != nil {
		f.t.Fatal(err)
	}
}

// calls returns how many times prog ("lp" or "lpstat") ran.
func (f *fakeCUPS) calls(prog string) int {
	b, err := os.ReadFile(filepath.Join(f.dir, prog+".calls"))
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// argv returns the arguments of prog's n-th run.
func (f *fakeCUPS) argv(prog string, n int) []string {
	f.t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, prog+".argv."+strconv.Itoa(n)))
	if err != nil {
		f.t.Fatalf("%s run %d: %v", prog, n, err)
	}
	s := strings.TrimSuffix(string(b), "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// printed returns the file lp's n-th run was given.
func (f *fakeCUPS) printed(n int) []byte {
	f.t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, "printed."+strconv.Itoa(n)))
	if err != nil {
		f.t.Fatalf("lp run %d printed nothing: %v", n, err)
	}
	return b
}

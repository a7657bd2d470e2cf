package credit_test

import (
	"bytes"
	"encoding/json"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/gansu-credit/credit"

// pkgInfo is the part of `go list -json` the layout rules read.
type pkgInfo struct {
	ImportPath string
	Name       string
	Imports    []string
	Deps       []string
	Standard   bool
}

func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkgInfo
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// isStd reports whether an import path belongs to the standard library.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestLayoutArrows enforces the dependency direction of layout.md: arrows
// point toward the domain package, and each layer stays ignorant of the
// technology the others wrap.
func TestLayoutArrows(t *testing.T) {
	forbidden := map[string][]string{ // package (relative) → forbidden transitive deps (prefixes)
		"app":             {"database/sql", "net/http", "github.com/tarm/serial", "fyne.io/", "modernc.org/", module + "/store", module + "/device", module + "/sync", module + "/app/ui"},
		"app/report":      {"fyne.io/", "database/sql", module + "/store", module + "/device", module + "/sync"},
		"app/ui":          {"database/sql", "github.com/tarm/serial", "modernc.org/", module + "/store", module + "/device", module + "/sync", "fyne.io/fyne/v2/app"},
		"store":           {"fyne.io/", "github.com/tarm/serial", module + "/app", module + "/sync", module + "/device"},
		"device/idcard":   {"fyne.io/", "database/sql", "net/http", module + "/store", module + "/app", module + "/sync"},
		"device/escpos":   {"fyne.io/", "database/sql", "net/http", module + "/store", module + "/app", module + "/sync", module + "/device/idcard"},
		"device/cups":     {"fyne.io/", "database/sql", "net/http", module + "/store", module + "/app", module + "/sync", module + "/device/idcard", module + "/device/escpos"},
		"sync/protocol":   {"fyne.io/", "database/sql", module + "/store", module + "/app", module + "/device", module + "/sync/syncclient", module + "/sync/syncserver"},
		"sync/syncclient": {"fyne.io/", "database/sql", module + "/store", module + "/app", module + "/device", module + "/sync/syncserver"},
		"sync/syncserver": {"fyne.io/", module + "/app", module + "/device", module + "/sync/syncclient", module + "/store"},
		"synth":           {"fyne.io/", "database/sql", "net/http", module + "/store", module + "/app", module + "/sync", module + "/device"},
	}
	seen := map[string]bool{}
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if p.Name == "sync" {
			t.Errorf("%s: no package may be named sync (it shadows the standard library)", p.ImportPath)
		}
		switch {
		case rel == "" || rel == "assets":
			// Leaves: the standard library only.
			for _, d := range p.Deps {
				if !isStd(d) {
					t.Errorf("%s must import the standard library only, reaches %s", p.ImportPath, d)
				}
			}
			continue
		case strings.HasPrefix(rel, "cmd/"):
			continue
		}
		for _, d := range p.Imports {
			if strings.HasPrefix(d, module+"/cmd/") {
				t.Errorf("%s imports a command: %s", p.ImportPath, d)
			}
		}
		rules, ok := forbidden[rel]
		if !ok {
			continue
		}
		seen[rel] = true
		for _, d := range p.Deps {
			for _, bad := range rules {
				if reaches(d, bad) {
					t.Errorf("%s must not depend on %s (reaches %s)", p.ImportPath, bad, d)
				}
			}
		}
	}
	for rel := range forbidden {
		if !seen[rel] {
			t.Errorf("package %s is missing: the layout names it and its rules have nothing to check", rel)
		}
	}
}

// TestOnlySerialGoTouchesTarm keeps tarm/serial behind one small file per
// device package, so it can be swapped without touching the protocol code.
func TestOnlySerialGoTouchesTarm(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/tarm/serial" && filepath.Base(path) != "serial.go" {
				t.Errorf("%s imports tarm/serial; only a device package's serial.go may", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// reaches reports whether dependency dep is the forbidden path bad or lies
// under it; a bad ending in "/" is a prefix of many modules (fyne.io/).
func reaches(dep, bad string) bool {
	if strings.HasSuffix(bad, "/") {
		return strings.HasPrefix(dep, bad)
	}
	return dep == bad || strings.HasPrefix(dep, bad+"/")
}

func TestReaches(t *testing.T) {
	tests := []struct {
		dep, bad string
		want     bool
	}{
		{"database/sql", "database/sql", true},
		{"database/sql/driver", "database/sql", true},
		{"fyne.io/fyne/v2/widget", "fyne.io/", true},
		{module + "/store", module + "/store", true},
		{module + "/storefront", module + "/store", false},
		{module + "/sync/syncclient", module + "/sync", true},
		{"net/http/httptest", "net/http", true},
		{"net/netip", "net/http", false},
	}
	for _, tt := range tests {
		if got := reaches(tt.dep, tt.bad); got != tt.want {
			t.Errorf("reaches(%q, %q) = %v", tt.dep, tt.bad, got)
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/report"
)

// run calls Main and fails the test on an unexpected exit code.
func run(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	if code := Main(t.Context(), args, &o, &e); code != want {
		t.Fatalf("creditctl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, o.String(), e.String())
	}
	return o.String(), e.String()
}

// trustSetup makes a root key, a device key enrolled in a signed trust
// list, and returns the paths.
type trustFiles struct {
	dir, rootKey, rootPub, devKey, devPub, list string
	devKID                                      string
}

func trustSetup(t *testing.T) trustFiles {
	t.Helper()
	return trustSetupFor(t, "")
}

// trustSetupFor enrols devKey (created when empty) in a new trust list
// signed at testNow - 24h.
func trustSetupFor(t *testing.T, devKey string) trustFiles {
	t.Helper()
	setNow(t, testNow.Add(-24*time.Hour))
	dir := t.TempDir()
	f := trustFiles{dir: dir, rootKey: filepath.Join(dir, "root.key"), rootPub: filepath.Join(dir, "root.pub"),
		devKey: filepath.Join(dir, "device.key"), devPub: filepath.Join(dir, "device.pub"), list: filepath.Join(dir, "trust.tl")}
	if devKey != "" {
		f.devKey = devKey
	}
	run(t, 0, "keys", "init-root", "--out", f.rootKey)
	if _, err := report.LoadOrCreateKey(f.devKey); err != nil {
		t.Fatal(err)
	}
	out, _ := run(t, 0, "keys", "export-pub", "--key", f.devKey, "--out", f.devPub)
	f.devKID = field(t, out, "kid")
	draft := filepath.Join(dir, "draft.tl")
	run(t, 0, "keys", "trust-list", "new", "--out", draft)
	run(t, 0, "keys", "trust-list", "add-key", "--in", draft, "--out", draft, "--pub", f.devPub,
		"--office-code", "620102", "--office-name", "兰州市城关区发展和改革局", "--from", "2026-01-01")
	out, _ = run(t, 0, "keys", "trust-list", "sign", "--root", f.rootKey, "--in", draft, "--out", f.list)
	if field(t, out, "seq") != "1" {
		t.Fatalf("first signed list:\n%s", out)
	}
	return f
}

func TestKeysTrustListWorkflow(t *testing.T) {
	f := trustSetup(t)
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(f.rootKey); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("root key mode: %v %v", fi, err)
		}
	}
	// init-root never overwrites.
	run(t, 1, "keys", "init-root", "--out", f.rootKey)

	out, _ := run(t, 0, "keys", "show", "--in", f.list, "--root-pub", f.rootPub)
	for _, w := range []string{"signature\tvalid", "seq\t1", f.devKID + "\tactive\t620102\t兰州市城关区发展和改革局", "revoked_reports\t0"} {
		if !strings.Contains(out, w) {
			t.Errorf("show lacks %q:\n%s", w, out)
		}
	}
	// A list checked against another root is refused.
	other := filepath.Join(f.dir, "other.key")
	run(t, 0, "keys", "init-root", "--out", other)
	_, errs := run(t, 1, "keys", "show", "--in", f.list, "--root-pub", filepath.Join(f.dir, "other.pub"))
	if !strings.Contains(errs, "not signed by a trusted root") {
		t.Errorf("stderr: %s", errs)
	}

	// Edit the signed list: retire, revoke a report, sign again → seq 2.
	draft := filepath.Join(f.dir, "draft2.tl")
	run(t, 0, "keys", "trust-list", "retire", "--in", f.list, "--out", draft, "--kid", f.devKID, "--at", "2026-02-01T00:00:00+08:00")
	run(t, 0, "keys", "trust-list", "revoke-report", "--in", draft, "--out", draft, "--report-no", "620102K1-20260115-000042")
	out, _ = run(t, 0, "keys", "trust-list", "sign", "--root", f.rootKey, "--in", draft, "--out", f.list, "--valid-for", "240h")
	if field(t, out, "seq") != "2" {
		t.Errorf("second list:\n%s", out)
	}
	out, _ = run(t, 0, "keys", "show", "--in", f.list, "--root-pub", f.rootPub)
	for _, w := range []string{"seq\t2", f.devKID + "\tretired", "2026-02-01 00:00:00", "revoked_reports\t1", "revoked\t"} {
		if !strings.Contains(out, w) {
			t.Errorf("show lacks %q:\n%s", w, out)
		}
	}
	run(t, 0, "keys", "trust-list", "compromise", "--in", f.list, "--out", draft, "--kid", f.devKID)
	out, _ = run(t, 0, "keys", "show", "--in", draft)
	if !strings.Contains(out, "compromised") || !strings.Contains(out, "not checked") {
		t.Errorf("draft show:\n%s", out)
	}
}

func TestKeysRootRotation(t *testing.T) {
	f := trustSetup(t)
	next := filepath.Join(f.dir, "root2.key")
	run(t, 0, "keys", "init-root", "--out", next)
	run(t, 0, "keys", "trust-list", "sign", "--root", f.rootKey, "--in", f.list, "--out", f.list, "--next-root", filepath.Join(f.dir, "root2.pub"))
	b, err := os.ReadFile(f.list)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := report.ParsePublicKeys(mustRead(t, f.rootPub))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := report.LoadTrustList(b, roots, 1)
	if err != nil || cur.NextRoot == nil {
		t.Fatalf("rotation list: %v %+v", err, cur)
	}
	run(t, 0, "keys", "trust-list", "sign", "--root", next, "--in", f.list, "--out", f.list)
	nextList, err := cur.Update(mustRead(t, f.list))
	if err != nil || nextList.Seq != 3 {
		t.Fatalf("list from the next root: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeysErrors(t *testing.T) {
	f := trustSetup(t)
	garbage := filepath.Join(f.dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a list"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(f.dir, "out.tl")
	tests := []struct {
		name string
		code int
		args []string
	}{
		{"no action", 2, []string{"keys"}},
		{"unknown action", 2, []string{"keys", "frobnicate"}},
		{"unknown trust-list action", 2, []string{"keys", "trust-list", "frobnicate", "--out", out}},
		{"missing --out", 2, []string{"keys", "init-root"}},
		{"missing --office-name", 2, []string{"keys", "trust-list", "add-key", "--in", f.list, "--out", out, "--pub", f.devPub, "--office-code", "620102"}},
		{"stray argument", 2, []string{"keys", "show", "--in", f.list, "extra"}},
		{"bad time", 2, []string{"keys", "trust-list", "retire", "--in", f.list, "--out", out, "--kid", f.devKID, "--at", "soon"}},
		{"key twice", 1, []string{"keys", "trust-list", "add-key", "--in", f.list, "--out", out, "--pub", f.devPub, "--office-code", "1", "--office-name", "x"}},
		{"unknown kid", 1, []string{"keys", "trust-list", "retire", "--in", f.list, "--out", out, "--kid", "0011223344556677"}},
		{"garbage list", 1, []string{"keys", "show", "--in", garbage}},
		{"garbage as draft", 1, []string{"keys", "trust-list", "revoke-report", "--in", garbage, "--out", out, "--report-no", "x"}},
		{"device key is not root", 1, []string{"keys", "show", "--in", f.list, "--root-pub", f.devPub}},
		{"pub is not a key", 1, []string{"keys", "trust-list", "add-key", "--in", f.list, "--out", out, "--pub", garbage, "--office-code", "1", "--office-name", "x"}},
		{"sign with missing root", 1, []string{"keys", "trust-list", "sign", "--root", filepath.Join(f.dir, "nope"), "--in", f.list, "--out", out}},
		{"sign with bad validity", 2, []string{"keys", "trust-list", "sign", "--root", f.rootKey, "--in", f.list, "--out", out, "--valid-for", "-1h"}},
		{"retire before sign_from", 1, []string{"keys", "trust-list", "retire", "--in", f.list, "--out", out, "--kid", f.devKID, "--at", "2025-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, tt.code, tt.args...)
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed command wrote --out")
	}
}

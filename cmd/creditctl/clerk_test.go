package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/store"
)

func TestClerkCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "office.db")
	add := func(input string, args ...string) (int, string, string) {
		t.Helper()
		old := stdin
		stdin = strings.NewReader(input)
		defer func() { stdin = old }()
		return runMain(t, append([]string{"clerk", "add", "--db", db, "--argon2-memory", "64"}, args...)...)
	}
	t.Setenv(passwordEnv, "")
	if code, out, errs := add("correct-horse\n", "--id", "C001", "--name", "王芳", "--role", "clerk"); code != 0 || out != "added C001\t王芳\tclerk\n" {
		t.Fatalf("add from stdin: %d %q %q", code, out, errs)
	}
	t.Setenv(passwordEnv, "battery-staple")
	if code, _, errs := add("", "--id", "S01", "--name", "李强", "--role", "supervisor"); code != 0 {
		t.Fatalf("add from env: %d %q", code, errs)
	}
	tests := []struct {
		name, input string
		env         string
		args        []string
		code        int
		msg         string
	}{
		{"duplicate", "", "another-pass", []string{"--id", "C001", "--name", "王五", "--role", "clerk"}, 1, "already exists"},
		{"short password", "short\n", "", []string{"--id", "C002", "--name", "王五", "--role", "clerk"}, 1, "at least 8"},
		{"no password", "", "", []string{"--id", "C002", "--name", "王五", "--role", "clerk"}, 2, "no password"},
		{"bad role", "", "another-pass", []string{"--id", "C002", "--name", "王五", "--role", "admin"}, 1, "role"},
		{"bad id", "", "another-pass", []string{"--id", "C 2", "--name", "王五"}, 1, "staff number"},
		{"no db", "", "another-pass", []string{"--db", ""}, 2, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(passwordEnv, tt.env)
			code, _, errs := add(tt.input, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d containing %q", code, errs, tt.code, tt.msg)
			}
		})
	}
	code, out, errs := runMain(t, "clerk", "list", "--db", db)
	if code != 0 || out != "C001\t王芳\tclerk\nS01\t李强\tsupervisor\n" {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	if code, _, _ := runMain(t, "clerk", "remove"); code != 2 {
		t.Errorf("unknown subcommand exit %d", code)
	}

	// The stored password works for a login, and is not stored in clear.
	d, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a, _ := d.ClerkAccount(t.Context(), "C001")
	if strings.Contains(a.PasswordHash, "correct-horse") || !strings.HasPrefix(a.PasswordHash, "$argon2id$v=19$m=64,t=3,p=4$") {
		t.Fatalf("stored hash %q", a.PasswordHash)
	}
	office := app.NewOffice(app.OfficeDeps{Clerks: d, Now: func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China) }})
	if cs, err := office.Login(t.Context(), "C001", "correct-horse"); err != nil || cs.Clerk.Role != credit.RoleClerk {
		t.Fatalf("login with the added password: %v", err)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestDeadlineCommand(t *testing.T) {
	// A holidays directory where 2027's notice is out: 1 Jan 2027 off.
	updated := t.TempDir()
	if err := os.WriteFile(filepath.Join(updated, "2026.json"), []byte(`{"year":2026,"papers":[],"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(updated, "2027.json"), []byte(`{"year":2027,"papers":["x"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	counties := filepath.Join(t.TempDir(), "counties.json")
	if err := os.WriteFile(counties, []byte(`{"counties":[{"prefix":"622923","name":"永靖县","dates":[{"name":"测试","date":"2026-11-19","isOffDay":true}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	badCounties := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(badCounties, []byte(`{"counties":[{"prefix":"6229","name":"x","rules":[{"name":"y","kind":"lunar","from_year":2025,"source":"s"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "2026.json"), []byte(`{"year":2026`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string
		inError string
	}{
		{"National Day 2026, label", []string{"--from", "2026-09-30 15:00", "--working-days", "1"}, 0, "2026-10-08\n", ""},
		{"National Day 2026, decision", []string{"--from", "2026-09-30T15:00:00+08:00", "--working-days", "7"}, 0, "2026-10-15\n", ""},
		{"UTC time is counted in China time", []string{"--from", "2026-11-27T17:00:00Z", "--working-days", "1"}, 0, "2026-11-30\n", ""},
		{"Spring Festival 2025", []string{"--from", "2025-01-27", "--working-days", "7"}, 0, "2025-02-12\n", ""},
		{"Gannan", []string{"--from", "2026-09-30", "--working-days", "1", "--county", "623027"}, 0, "2026-10-09\n", ""},
		{"Linxia", []string{"--from", "2026-11-18", "--working-days", "1", "--county", "622901"}, 0, "2026-11-20\n", ""},
		{"Lanzhou", []string{"--from", "2026-11-18", "--working-days", "1", "--county", "620102"}, 0, "2026-11-19\n", ""},
		{"into 2027", []string{"--from", "2026-12-31", "--working-days", "1"}, 0, "2027-01-01\tprovisional\n", ""},
		{"2027 notice loaded", []string{"--from", "2026-12-31", "--working-days", "1", "--holidays", updated}, 0, "2027-01-04\n", ""},
		{"county file: its own days", []string{"--from", "2026-11-18", "--working-days", "1", "--county", "622923", "--counties", counties}, 0, "2026-11-20\n", ""},
		{"county file replaces the built-in set", []string{"--from", "2026-11-18", "--working-days", "1", "--county", "622901", "--counties", counties}, 0, "2026-11-19\n", ""},
		{"bad county file", []string{"--from", "2026-11-18", "--working-days", "1", "--counties", badCounties}, 2, "", "unknown kind"},
		{"missing county file", []string{"--from", "2026-11-18", "--working-days", "1", "--counties", counties + ".nope"}, 2, "", "--counties"},
		{"no from", []string{"--working-days", "1"}, 2, "", "usage"},
		{"no days", []string{"--from", "2026-09-30"}, 2, "", "usage"},
		{"bad from", []string{"--from", "yesterday", "--working-days", "1"}, 2, "", "is not a time"},
		{"from out of range", []string{"--from", "9999-12-31", "--working-days", "1"}, 2, "", "out of range"},
		{"zero days", []string{"--from", "2026-09-30", "--working-days", "0"}, 2, "", "between 1 and"},
		{"huge days", []string{"--from", "2026-09-30", "--working-days", "1000000000"}, 2, "", "between 1 and"},
		{"days not a number", []string{"--from", "2026-09-30", "--working-days", "seven"}, 2, "", "invalid value"},
		{"bad county", []string{"--from", "2026-09-30", "--working-days", "1", "--county", "6230"}, 2, "", "6 digits"},
		{"county outside Gansu", []string{"--from", "2026-09-30", "--working-days", "1", "--county", "110105"}, 2, "", "Not a Gansu county"},
		{"broken holidays", []string{"--from", "2026-09-30", "--working-days", "1", "--holidays", broken}, 2, "", "2026.json"},
		{"stray argument", []string{"--from", "2026-09-30", "--working-days", "1", "extra"}, 2, "", "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(t.Context(), append([]string{"deadline"}, tt.args...), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if out.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", out.String(), tt.stdout)
			}
			if !strings.Contains(errb.String(), tt.inError) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.inError)
			}
		})
	}
}

// FuzzDeadlineFrom: any --from value is refused with exit 2 and a message,
// or gives one date line that is not before the day of receipt.
func FuzzDeadlineFrom(f *testing.F) {
	for _, s := range []string{"2026-09-30", "2026-09-30 15:00", "2026-09-30T15:00:00+08:00", "2026-12-31T23:59:59Z", "yesterday", "", "9999-12-31", "0001-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, from string) {
		var out, errb bytes.Buffer
		code := Main(t.Context(), []string{"deadline", "--from", from, "--working-days", "3"}, &out, &errb)
		switch code {
		case 2:
			if errb.Len() == 0 || out.Len() != 0 {
				t.Fatalf("exit 2 with stdout %q stderr %q", out.String(), errb.String())
			}
		case 0:
			start, ok := parseFrom(from)
			line := strings.TrimSuffix(strings.TrimSuffix(out.String(), "\n"), "\tprovisional")
			end, err := time.ParseInLocation("2006-01-02", line, credit.China)
			if !ok || err != nil || !end.After(start) {
				t.Fatalf("from %q → %q", from, out.String())
			}
		default:
			t.Fatalf("exit %d", code)
		}
	})
}

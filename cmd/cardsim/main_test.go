package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/internal/lockedbuf"
)

// startSim runs cardsim in-process and returns the slave path it printed.
func startSim(t *testing.T, args ...string) (string, chan<- os.Signal, *lockedbuf.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	toggle := make(chan os.Signal, 1)
	stderr := &lockedbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, strings.NewReader(""), pw, stderr, toggle)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no slave path (stderr %s): %v", stderr.String(), err)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("cardsim exited %d: %s", code, stderr.String())
			}
		case <-time.After(5 * time.Second):
			t.Error("cardsim did not stop after cancel")
		}
	})
	return strings.TrimSpace(line), toggle, stderr
}

func readCard(t *testing.T, port string) (credit.IDCard, error) {
	t.Helper()
	r, closer, err := idcard.Open(port, idcard.Config{FindTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	return r.ReadCard(t.Context())
}

func TestServesTheDefaultCard(t *testing.T) {
	link := filepath.Join(t.TempDir(), "idcard")
	path, toggle, logs := startSim(t, "--link", link)
	if !strings.HasPrefix(path, "/dev/pts/") {
		t.Fatalf("first line %q is not a pty path", path)
	}
	if got, err := os.Readlink(link); err != nil || got != path {
		t.Fatalf("--link: %q, %v", got, err)
	}
	want := credit.IDCard{Kind: credit.CardResident, Name: defaultName, Sex: "2", Ethnic: "01", Birth: "19850312",
		Address: "甘肃省兰州市城关区庆阳路100号", Number: defaultID, Authority: "兰州市公安局城关分局",
		ValidFrom: "20150601", ValidTo: "20350601"}
	// Two clients one after the other (the held slave keeps the pty up),
	// the second through the symlink.
	for _, port := range []string{path, link} {
		got, err := readCard(t, port)
		if err != nil || got != want {
			t.Fatalf("read via %s = %+v, %v", port, got, err)
		}
	}
	toggle <- os.Interrupt // any value toggles; main sends SIGUSR1 here
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, err := readCard(t, path)
		if credit.ErrorCode(err) == credit.ENOTFOUND && strings.Contains(logs.String(), "card toggled") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("card still present after SIGUSR1: %v", err)
		}
	}
	if out := logs.String(); strings.Contains(out, defaultID) || strings.Contains(out, defaultName) {
		t.Fatalf("log leaks personal data:\n%s", out)
	}
}

func TestFlagsMakeTheCard(t *testing.T) {
	path, _, _ := startSim(t, "--id", "11010119900307803x", "--name", "李 雷", "--valid-to", "长期",
		"--ethnic", "03", "--address", "北京市东城区")
	got, err := readCard(t, path)
	if err != nil {
		t.Fatal(err)
	}
	want := credit.IDCard{Kind: credit.CardResident, Name: "李 雷", Sex: "1", Ethnic: "03", Birth: "19900307",
		Address: "北京市东城区", Number: "11010119900307803X", Authority: "兰州市公安局城关分局",
		ValidFrom: "20150601", ValidTo: credit.LongTerm}
	if got != want {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
}

func TestNoCard(t *testing.T) {
	path, _, _ := startSim(t, "--no-card")
	if _, err := readCard(t, path); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("err = %v, want not found", err)
	}
}

func TestRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad check digit", []string{"--id", "620102198503120022"}, "check character"},
		{"short id", []string{"--id", "6201"}, "18 characters"},
		{"birth mismatch", []string{"--birth", "19850313"}, "does not match"},
		{"name too long", []string{"--name", strings.Repeat("长", 16)}, "too long"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
		{"unknown flag", []string{"--bogus"}, "bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb strings.Builder
			code := run(t.Context(), tt.args, strings.NewReader(""), &out, &errb, nil)
			if code != 2 || !strings.Contains(errb.String(), tt.want) || out.Len() != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out.String(), errb.String(), tt.want)
			}
		})
	}
}

func TestLinkRefusesRegularFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if code := run(t.Context(), []string{"--link", f}, strings.NewReader(""), &out, &errb, nil); code != 1 || !strings.Contains(errb.String(), "not a symlink") {
		t.Fatalf("exit %d, %q", code, errb.String())
	}
}

func TestVersion(t *testing.T) {
	var out, errb strings.Builder
	if code := run(t.Context(), []string{"--version"}, strings.NewReader(""), &out, &errb, nil); code != 0 || out.String() != "cardsim dev\n" {
		t.Fatalf("exit %d, %q", code, out.String())
	}
}

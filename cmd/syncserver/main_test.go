package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// seeded writes a platform database in dir with `seed --n n` and returns
// its path.
func seeded(t *testing.T, dir string, n int) string {
	t.Helper()
	db := filepath.Join(dir, "platform.db")
	if code, _, errs := run(t, "seed", "--db", db, "--n", strconv.Itoa(n)); code != 0 {
		t.Fatal(errs)
	}
	return db
}

// serve runs `serve --db db --addr 127.0.0.1:0` with the extra flags until
// stop, and returns the address it listens on. stop cancels it and fails
// the test unless it exits 0 (30 s is a hang guard, not a timing
// assertion); it runs at cleanup too if the test has not called it.
func serve(t *testing.T, db string, flags ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, flags...), pw, io.Discard)
		pw.Close()
	}()
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not return after cancel")
		}
	})
	t.Cleanup(stop)
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return strings.TrimSpace(strings.TrimPrefix(line, "listening on ")), stop
}

func TestAdminCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "platform.db")
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no command", nil, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, ""},
		{"seed needs db", []string{"seed"}, 2, ""},
		{"seed", []string{"seed", "--db", db, "--n", "20", "--seed", "7"}, 0, "seeded"},
		{"seed negative", []string{"seed", "--db", db, "--n", "-1"}, 2, ""},
		{"withdraw unknown", []string{"withdraw", "--db", db, "--record", "no-such-record"}, 1, ""},
		{"withdraw needs record", []string{"withdraw", "--db", db}, 2, ""},
		{"set-status bad status", []string{"set-status", "--db", db, "--id", "x", "--status", "bogus"}, 2, ""},
		{"set-status unknown id", []string{"set-status", "--db", db, "--id", "x", "--status", "closed"}, 1, ""},
		{"status", []string{"status", "--db", db}, 0, "applications 0"},
		{"serve takes no tokens", []string{"serve", "--db", db, "--device", "token-123456=k1"}, 2, ""},
		{"device needs a verb", []string{"device", "--db", db}, 2, ""},
		{"device add needs id", []string{"device", "add", "--db", db}, 2, ""},
		{"device add bad id", []string{"device", "add", "--db", db, "--id", "bad id"}, 1, ""},
		{"device add", []string{"device", "add", "--db", db, "--id", "KIOSK-620102-09", "--scope", "620102"}, 0, "one-time enrolment code"},
		{"device list", []string{"device", "list", "--db", db}, 0, "KIOSK-620102-09\tscope 620102\twaiting for enrolment, code valid until"},
		{"device revoke", []string{"device", "revoke", "--db", db, "--id", "KIOSK-620102-09"}, 0, "revoked"},
		{"device revoke unknown", []string{"device", "revoke", "--db", db, "--id", "KIOSK-X"}, 1, ""},
		{"device re-add revoked", []string{"device", "add", "--db", db, "--id", "KIOSK-620102-09"}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
}

func TestServeAndWithdraw(t *testing.T) {
	db := seeded(t, t.TempDir(), 5)
	base, stop := serve(t, db)
	sign := enrol(t, db, base, "KIOSK-1")

	get := func(path string) *protocol.Page {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", base+path, nil)
		sign(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		p, err := protocol.DecodePage(resp.Body, 0)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := get(protocol.PathChanges + "?limit=5000")
	var recordID string
	for _, c := range p.Changes {
		if c.Record != nil {
			recordID = c.ID
			break
		}
	}
	if recordID == "" {
		t.Fatal("seeded feed has no records")
	}
	// The admin command works on the same file while the server runs.
	if code, out, errs := run(t, "withdraw", "--db", db, "--record", recordID, "--reason", "corrected"); code != 0 || !strings.Contains(out, recordID) {
		t.Fatalf("withdraw: %d %s %s", code, out, errs)
	}
	next := get(protocol.PathChanges + "?cursor=" + p.Next)
	if len(next.Changes) != 1 || next.Changes[0].ID != recordID || next.Changes[0].Reason != "corrected" {
		t.Errorf("after withdraw: %+v", next.Changes)
	}
	_, out, _ := run(t, "status", "--db", db)
	var headSeq int
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "head seq ") {
			_ = json.Unmarshal([]byte(strings.TrimPrefix(l, "head seq ")), &headSeq)
		}
	}
	if int64(headSeq) != next.Changes[0].Seq {
		t.Errorf("status head seq %d, tombstone seq %d", headSeq, next.Changes[0].Seq)
	}
	stop()
}

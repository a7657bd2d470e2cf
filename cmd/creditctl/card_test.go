package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

var simCard = credit.IDCard{Kind: credit.CardResident, Name: "张晓燕", Sex: "2", Ethnic: "01", Birth: "19850312",
	Address: "甘肃省兰州市城关区庆阳路100号", Number: "620102198503120021", Authority: "兰州市公安局城关分局",
	ValidFrom: "20150601", ValidTo: credit.LongTerm}

// startCardSim serves a simulated SAM on a pty and returns the slave path.
func startCardSim(t *testing.T, card *credit.IDCard, faults samsim.Faults) string {
	t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	hold, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	if card != nil {
		if err := sim.SetCard(*card); err != nil {
			t.Fatal(err)
		}
	}
	sim.SetFaults(faults)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("simulator: %v", err)
		}
		hold.Close()
		master.Close()
	})
	return path
}

func TestCardRead(t *testing.T) {
	port := startCardSim(t, &simCard, samsim.Faults{Split: true, Garbage: true})
	var out, errb bytes.Buffer
	code := Main(t.Context(), []string{"card", "read", "--port", port, "-v"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got credit.IDCard
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if got != simCard {
		t.Fatalf("got\n%+v\nwant\n%+v", got, simCard)
	}
	for _, key := range []string{`"kind": "resident"`, `"number": "620102198503120021"`, `"valid_to": "长期"`} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("stdout lacks %s:\n%s", key, out.String())
		}
	}
	for name, b := range map[string][]byte{"stdout": out.Bytes(), "stderr": errb.Bytes()} {
		if bytes.Contains(b, []byte(samsim.PhotoMarker())) || bytes.Contains(b, samsim.Photo()[:32]) {
			t.Errorf("%s carries photo bytes", name)
		}
	}
	// -v logs the commands but never the holder's name or number.
	if !strings.Contains(errb.String(), "cmd=read") || strings.Contains(errb.String(), simCard.Number) ||
		strings.Contains(errb.String(), simCard.Name) {
		t.Errorf("verbose log:\n%s", errb.String())
	}
}

func TestCardReadFailures(t *testing.T) {
	tests := []struct {
		name   string
		card   *credit.IDCard
		faults samsim.Faults
		args   []string
		code   int
		msg    []string // parts of stderr
	}{
		{"no card", nil, samsim.Faults{}, nil, 1, []string{"Place your ID card on the reader", "请将身份证放在读卡区"}},
		{"bad checksum", &simCard, samsim.Faults{BadChecksum: true}, nil, 1, []string{"checksum", "校验失败"}},
		{"truncated", &simCard, samsim.Faults{Truncate: true}, nil, 1, []string{"incomplete frame", "不完整"}},
		{"silent reader", &simCard, samsim.Faults{Delay: 3 * time.Second}, []string{"--timeout", "400ms"}, 1,
			[]string{"does not respond", "读卡器无响应"}},
		// Each answer is within its command's timeout, but find+select
		// together outlast --timeout.
		{"overall timeout", &simCard, samsim.Faults{Delay: 700 * time.Millisecond}, []string{"--timeout", "1s"}, 1,
			[]string{"timed out (1s)", "读卡超时"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := startCardSim(t, tt.card, tt.faults)
			var out, errb bytes.Buffer
			start := time.Now()
			code := Main(t.Context(), append([]string{"card", "read", "--port", port}, tt.args...), &out, &errb)
			if d := time.Since(start); d > 4*time.Second {
				t.Fatalf("took %v", d)
			}
			if code != tt.code || out.Len() != 0 {
				t.Fatalf("exit %d (want %d), stdout %q", code, tt.code, out.String())
			}
			for _, m := range tt.msg {
				if !strings.Contains(errb.String(), m) {
					t.Errorf("stderr %q lacks %q", errb.String(), m)
				}
			}
		})
	}
}

func TestCardUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"card"}, 2, "usage: creditctl card read"},
		{[]string{"card", "eject"}, 2, "usage: creditctl card read"},
		{[]string{"card", "read"}, 2, "--port PATH"},
		{[]string{"card", "read", "--port", "/x", "--timeout", "0s"}, 2, "--port PATH"},
		{[]string{"card", "read", "--port", "/nonexistent/ttyUSB7"}, 1, "Cannot open the card reader port /nonexistent/ttyUSB7"},
		{[]string{"card", "ports", "extra"}, 2, "usage: creditctl card ports"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := Main(t.Context(), tt.args, &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, errb.String(), tt.code, tt.msg)
		}
	}
}

func TestCardPorts(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"ttyUSB1", "ttyUSB0", "ttyACM0", "ttyS0"} {
		if err := os.WriteFile(filepath.Join(dir, p), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	byID := filepath.Join(dir, "by-id")
	if err := os.Mkdir(byID, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "ttyUSB1"), filepath.Join(byID, "usb-1a86_USB_Serial-if00-port0")); err != nil {
		t.Fatal(err)
	}
	old := portGlobs
	t.Cleanup(func() { portGlobs = old })
	portGlobs = []string{filepath.Join(byID, "*"), filepath.Join(dir, "ttyUSB*"), filepath.Join(dir, "ttyACM*")}

	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"card", "ports"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := filepath.Join(byID, "usb-1a86_USB_Serial-if00-port0") + " -> " + filepath.Join(dir, "ttyUSB1") + "\n" +
		filepath.Join(dir, "ttyUSB0") + "\n" + filepath.Join(dir, "ttyUSB1") + "\n" + filepath.Join(dir, "ttyACM0") + "\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}

	portGlobs = []string{filepath.Join(dir, "nothing*")}
	out.Reset()
	errb.Reset()
	if code := Main(t.Context(), []string{"card", "ports"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no serial ports") {
		t.Fatalf("no ports: exit %d, %q", code, errb.String())
	}
}

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/device/escpos/escpossim"
	"github.com/gansu-credit/credit/internal/pty"
)

func TestPrintTestOut(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		native bool
		width  int
	}{
		{"58 raster", nil, false, 384},
		{"80 raster", []string{"--paper", "80"}, false, 576},
		{"80 native chinese", []string{"--paper", "80", "--native-qr", "--chinese"}, true, 0},
		{"58 paced", []string{"--rate", "1000000"}, false, 384},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "receipt.bin")
			var stdout, stderr bytes.Buffer
			args := append([]string{"print", "test", "--out", out}, tt.args...)
			if code := Main(t.Context(), args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			cmds, err := escpossim.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			lines := escpossim.Lines(cmds)
			if len(lines) == 0 || lines[0] != "打印机测试 / Printer test" {
				t.Errorf("lines %q", lines)
			}
			if !strings.Contains(strings.Join(lines, "\n"), "堃喆镕赟") {
				t.Errorf("the Chinese sample line is missing: %q", lines)
			}
			var stored string
			for _, c := range cmds {
				if c.Kind == escpossim.QRStore {
					stored = string(c.Data)
				}
			}
			imgs := escpossim.Rasters(cmds)
			if tt.native {
				if stored != SampleCR1 || len(imgs) != 0 {
					t.Errorf("native QR: stored %q, %d rasters", stored, len(imgs))
				}
				if cmds[1].Kind != escpossim.ChineseOn {
					t.Errorf("second command %v, want FS &", cmds[1])
				}
			} else if len(imgs) != 1 || imgs[0].Bounds().Dx() != tt.width || imgs[0].Bounds().Dy() != 81*4 {
				t.Errorf("want one %d-dot-wide raster 324 dots tall, got %d", tt.width, len(imgs))
			}
			if last := cmds[len(cmds)-1]; last.Kind != escpossim.Cut {
				t.Errorf("last command %v, want a cut", last)
			}
			if !strings.Contains(stdout.String(), "test receipt sent to") {
				t.Errorf("stdout %q", stdout.String())
			}
		})
	}
}

func TestPrintTestDevice(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main(t.Context(), []string{"print", "test", "--device", dev}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if fi, err := os.Stat(dev); err != nil || fi.Size() < 1000 {
		t.Errorf("device file: %v, %v", fi, err)
	}
}

func TestPrintErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "lp9")
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"print"}, 2, "usage"},
		{"no destination", []string{"print", "test"}, 2, "usage"},
		{"both destinations", []string{"print", "test", "--device", "/dev/null", "--out", "x"}, 2, "usage"},
		{"negative rate", []string{"print", "test", "--out", "x", "--rate", "-1"}, 2, "usage"},
		{"bad paper", []string{"print", "test", "--out", "x", "--paper", "76"}, 2, "want 58 or 80"},
		{"missing device", []string{"print", "test", "--device", missing}, 1, "打印机未连接"},
		{"status needs baud", []string{"print", "status", "--device", missing}, 2, "usage"},
		{"status missing", []string{"print", "status", "--device", missing, "--baud", "9600"}, 1, "打印机未连接"},
		{"missing serial", []string{"print", "test", "--device", missing, "--baud", "9600"}, 1, "The receipt printer is not connected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(t.Context(), tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.want)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("printing to a missing device created %s", missing)
	}
}

// TestPrintStatusPTY: `print status` over a real pty whose master plays a
// printer that is out of paper.
func TestPrintStatusPTY(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	go func() {
		buf := make([]byte, 3)
		for range 3 {
			master.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(master, buf); err != nil {
				return
			}
			master.Write(map[byte][]byte{1: {0x12}, 2: {0x32}, 4: {0x72}}[buf[2]])
		}
	}()
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), []string{"print", "status", "--device", slave, "--baud", "115200"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "paper_out=true") || !strings.Contains(stderr.String(), "缺纸") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
}

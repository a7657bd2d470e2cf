package escpos_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
	"github.com/gansu-credit/credit/internal/pty"
)

// wantUnavailable fails unless err is the zh/en "printer not connected".
func wantUnavailable(t *testing.T, err error) {
	t.Helper()
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || credit.ErrorMessage(err) != "打印机未连接" ||
		credit.ErrorMessageEN(err) != "The receipt printer is not connected" {
		t.Fatalf("err = %v, want EUNAVAILABLE 打印机未连接", err)
	}
}

func TestOpenDeviceMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	_, err := escpos.OpenDevice(path)
	wantUnavailable(t, err)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cause is not kept: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenDevice created %s", path)
	}
}

func TestOpenDevicePermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o400); err != nil {
		t.Fatal(err)
	}
	_, err := escpos.OpenDevice(path)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "无权") {
		t.Fatalf("err = %v, want EUNAVAILABLE 无权使用打印机", err)
	}
}

// TestOpenDeviceFile prints to a device file (a regular file stands in for
// /dev/usb/lp0) and reads the receipt back.
func TestOpenDeviceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dev, err := escpos.OpenDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	p := escpos.New(dev, escpos.Config{})
	if err := p.Receipt(sampleReceipt()); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := dev.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	q := escpos.New(&want, escpos.Config{})
	q.Receipt(sampleReceipt())
	q.Flush(t.Context())
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("device file holds %d bytes, want %d", len(got), want.Len())
	}
}

// TestOpenSerialPTY prints through tarm/serial to a real pseudo-terminal
// and parses what the "printer" (the master side) received.
func TestOpenSerialPTY(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	port, err := escpos.OpenSerial(slave, 115200)
	if err != nil {
		t.Fatal(err)
	}
	p := escpos.New(port, escpos.Config{})
	r := sampleReceipt()
	if err := p.Receipt(r); err != nil {
		t.Fatal(err)
	}
	want := len(p.Buffered())
	got := make(chan []byte, 1)
	go func() {
		var b []byte
		buf := make([]byte, 4096)
		master.SetReadDeadline(time.Now().Add(10 * time.Second))
		for len(b) < want {
			n, err := master.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				break
			}
		}
		got <- b
	}()
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	b := <-got
	if err := port.Close(); err != nil {
		t.Error(err)
	}
	cmds, err := escpossim.Parse(b)
	if err != nil {
		t.Fatalf("parse %d of %d bytes: %v", len(b), want, err)
	}
	if lines := escpossim.Lines(cmds); len(lines) == 0 || lines[0] != r.Title {
		t.Errorf("lines %q", lines)
	}
	if len(escpossim.Rasters(cmds)) != 1 {
		t.Errorf("no QR raster came through")
	}
}

func TestOpenSerialMissing(t *testing.T) {
	_, err := escpos.OpenSerial(filepath.Join(t.TempDir(), "ttyUSB9"), 9600)
	wantUnavailable(t, err)
	if _, err := escpos.OpenSerial("/dev/null", 0); err == nil {
		t.Error("baud 0 accepted")
	}
}

// TestFlushWriteFailure unplugs the printer in the middle of a receipt:
// Flush reports 打印机未连接, the error sticks, and the unsent bytes stay
// buffered.
func TestFlushWriteFailure(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after int
	}{{"before the first byte", 0}, {"mid-stream", 700}} {
		t.Run(tt.name, func(t *testing.T) {
			sim := escpossim.New()
			sim.FailAfter(tt.after)
			p := escpos.New(sim, escpos.Config{})
			p.Receipt(sampleReceipt())
			total := len(p.Buffered())
			err := p.Flush(t.Context())
			wantUnavailable(t, err)
			if !errors.Is(err, escpossim.ErrClosed) {
				t.Errorf("cause lost: %v", err)
			}
			if got := len(sim.Bytes()) + len(p.Buffered()); got != total {
				t.Errorf("sent %d + buffered %d ≠ %d", len(sim.Bytes()), len(p.Buffered()), total)
			}
			if p.Line("more") != err || p.Flush(t.Context()) != err || p.Err() != err {
				t.Error("the error did not stick")
			}
		})
	}
}

type shortWriter struct{}

func (shortWriter) Write(b []byte) (int, error) { return len(b) / 2, nil }

func TestFlushShortWrite(t *testing.T) {
	p := escpos.New(shortWriter{}, escpos.Config{})
	p.Line("hello")
	err := p.Flush(t.Context())
	wantUnavailable(t, err)
	if !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("err = %v, want io.ErrShortWrite inside", err)
	}
}

func TestFlushCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	sim := escpossim.New()
	p := escpos.New(sim, escpos.Config{})
	p.Line("x")
	if err := p.Flush(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if len(sim.Bytes()) != 0 {
		t.Error("wrote after cancel")
	}
}

// TestBadArgumentsStick: out-of-range parameters are refused, append
// nothing and stick.
func TestBadArgumentsStick(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func(p *escpos.Printer) error
	}{
		{"size 0", func(p *escpos.Printer) error { return p.Size(0, 1) }},
		{"size 9", func(p *escpos.Printer) error { return p.Size(1, 9) }},
		{"align 3", func(p *escpos.Printer) error { return p.Align(3) }},
		{"feed 256", func(p *escpos.Printer) error { return p.Feed(256) }},
		{"feed -1", func(p *escpos.Printer) error { return p.Feed(-1) }},
		{"cut 300", func(p *escpos.Printer) error { return p.Cut(300) }},
		{"native module 17", func(p *escpos.Printer) error {
			return escpos.New(io.Discard, escpos.Config{ModuleDots: 17}).QRNative("A")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := escpos.New(io.Discard, escpos.Config{})
			p.Init()
			if err := tt.f(p); err == nil {
				t.Fatal("accepted")
			}
			if tt.name != "native module 17" && (p.Err() == nil || len(p.Buffered()) != 2) {
				t.Errorf("err %v, %d bytes buffered", p.Err(), len(p.Buffered()))
			}
		})
	}
}

// TestFlushStuckPrinter: a printer that stops taking data (nobody reads
// the pty's master, so the slave's buffer fills) does not hang Flush past
// its context; the error says the printer is not responding.
func TestFlushStuckPrinter(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	dev, err := escpos.OpenDevice(slave)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	p := escpos.New(dev, escpos.Config{Width: escpos.Paper80})
	for range 20 {
		p.QR(longCR1) // ~ 47 KB of raster, far beyond the tty buffer
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p.Flush(ctx)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Flush took %v", el)
	}
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "无响应") ||
		!errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want EUNAVAILABLE 打印机无响应 with the deadline", err)
	}
	if len(p.Buffered()) == 0 {
		t.Error("nothing left unsent, so the printer was not stuck")
	}
}

// TestFlushRate: with Config.Rate the bytes are paced, and a context that
// ends while pacing stops the flush with the unsent bytes kept.
func TestFlushRate(t *testing.T) {
	sim := escpossim.New()
	p := escpos.New(sim, escpos.Config{Rate: 8192})
	p.Text(strings.Repeat("x", 2048)) // 4 chunks, 3 pauses of 62.5 ms
	start := time.Now()
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 180*time.Millisecond || el > 5*time.Second {
		t.Errorf("2048 bytes at 8192 B/s took %v, want about 190 ms", el)
	}
	if len(sim.Bytes()) != 2048 {
		t.Errorf("sent %d bytes", len(sim.Bytes()))
	}

	sim2 := escpossim.New()
	p2 := escpos.New(sim2, escpos.Config{Rate: 100})
	p2.Text(strings.Repeat("y", 2048))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := p2.Flush(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if len(sim2.Bytes()) != 512 || len(p2.Buffered()) != 2048-512 {
		t.Errorf("sent %d, kept %d", len(sim2.Bytes()), len(p2.Buffered()))
	}
}

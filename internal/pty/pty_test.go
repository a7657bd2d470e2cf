//go:build linux

package pty_test

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/gansu-credit/credit/internal/pty"
)

// allBytes is 0x00-0xFF, which includes LF, CR, XON, XOFF, DEL and the
// terminal's special characters (^C, ^D, ^Z, ^\).
func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func readFull(t *testing.T, f *os.File, n int) []byte {
	t.Helper()
	if err := f.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, n)
	if _, err := io.ReadFull(f, got); err != nil {
		t.Fatalf("read %d bytes: %v (partial %x)", n, err, got)
	}
	return got
}

func TestEightBitClean(t *testing.T) {
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	slave, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	defer slave.Close()

	tests := []struct {
		name     string
		from, to *os.File
	}{
		{"master to slave", master, slave},
		{"slave to master", slave, master},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := append(allBytes(), '\r', '\n', 0x11, 0x13, 0x7F, 0x00, 0xFF)
			if _, err := tt.from.Write(want); err != nil {
				t.Fatal(err)
			}
			if got := readFull(t, tt.to, len(want)); !bytes.Equal(got, want) {
				t.Fatalf("bytes changed in transit:\n got %x\nwant %x", got, want)
			}
		})
	}
	// Nothing echoed back: the master has nothing more to read.
	if err := master.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := master.Read(make([]byte, 16)); n != 0 || err == nil {
		t.Fatalf("unexpected echo: %d bytes, err %v", n, err)
	}
}

func TestSlavePathIsATerminal(t *testing.T) {
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is %v, want a character device", path, fi.Mode())
	}
	// A second pair gets a different slave.
	m2, p2, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if p2 == path {
		t.Fatalf("two pairs share %s", path)
	}
}

func TestCloseUnblocksMasterRead(t *testing.T) {
	master, _, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := master.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	master.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("read after close returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not unblock a pending Read on the master")
	}
}

package idcard_test

import (
	"errors"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
)

func TestReadCardFullDiscardsFingerprints(t *testing.T) {
	for _, transport := range []string{"serial", "file"} {
		t.Run(transport, func(t *testing.T) {
			r := newRig(t, transport, fast)
			if err := r.sim.SetCard(demo); err != nil {
				t.Fatal(err)
			}
			r.sim.SetFaults(samsim.Faults{Split: true})
			got, err := r.reader.ReadCardFull(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got != demo {
				t.Fatalf("got %+v, want %+v", got, demo)
			}
			if strings.Contains(r.log.String(), samsim.FingerprintMarker()) {
				t.Error("log carries fingerprint bytes")
			}
			r.sim.RemoveCard()
			if _, err := r.reader.ReadCardFull(t.Context()); !errors.Is(err, idcard.ErrNoCard) {
				t.Fatalf("no card: %v", err)
			}
		})
	}
}

func TestAppendedAddress(t *testing.T) {
	r := newRig(t, "serial", fast)
	if _, err := r.reader.AppendedAddress(t.Context()); !errors.Is(err, idcard.ErrNoCard) {
		t.Fatalf("no card: %v, want ErrNoCard", err)
	}
	if err := r.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	addr, err := r.reader.AppendedAddress(t.Context())
	if err != nil || addr != "" {
		t.Fatalf("card without appended address: %q, %v; want \"\", nil", addr, err)
	}
	const moved = "甘肃省兰州市七里河区西津西路16号 3单元"
	if err := r.sim.SetAppendedAddress(moved); err != nil {
		t.Fatal(err)
	}
	if addr, err = r.reader.AppendedAddress(t.Context()); err != nil || addr != moved {
		t.Fatalf("appended address %q, %v; want %q", addr, err, moved)
	}
	if err := r.sim.SetAppendedAddress(strings.Repeat("址", 36)); err == nil {
		t.Fatal("a 36-character address was accepted")
	}
	r.sim.SetFaults(samsim.Faults{BadChecksum: true})
	if _, err := r.reader.AppendedAddress(t.Context()); !errors.Is(err, idcard.ErrChecksum) {
		t.Fatalf("bad checksum: %v", err)
	}
}

func TestSetBaud(t *testing.T) {
	r := newRig(t, "serial", fast)
	tests := []struct {
		baud int
		code byte
		ok   bool
	}{
		{9600, 4, true}, {19200, 3, true}, {38400, 2, true}, {57600, 1, true}, {115200, 0, true},
		{14400, 0, false}, {0, 0, false},
	}
	for _, tt := range tests {
		err := r.reader.SetBaud(t.Context(), tt.baud)
		if !tt.ok {
			if credit.ErrorCode(err) != credit.EINVALID || !strings.Contains(credit.ErrorMessageEN(err), "baud") {
				t.Errorf("SetBaud(%d) = %v, want a clear EINVALID", tt.baud, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("SetBaud(%d): %v", tt.baud, err)
		}
		if got := r.sim.BaudCode(); got != tt.code {
			t.Errorf("SetBaud(%d): simulator got code %02X, want %02X", tt.baud, got, tt.code)
		}
	}
}

func TestCommandNames(t *testing.T) {
	for c, want := range map[idcard.Command]string{
		idcard.CmdAddress: "address", idcard.CmdReadFull: "read-full", {Cmd: idcard.CmdBaud, Para: 4}: "baud-04",
		{Cmd: 0x99, Para: 0x01}: "cmd-9901",
	} {
		if got := c.String(); got != want {
			t.Errorf("%02X%02X: %q, want %q", c.Cmd, c.Para, got, want)
		}
	}
}

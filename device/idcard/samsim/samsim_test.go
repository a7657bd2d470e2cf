package samsim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

var demo = credit.IDCard{Kind: credit.CardResident, Name: "张晓燕", Sex: "2", Ethnic: "01", Birth: "19850312",
	Address: "甘肃省兰州市城关区庆阳路100号", Number: "620102198503120021", Authority: "兰州市公安局城关分局",
	ValidFrom: "20150601", ValidTo: "20350601"}

// start runs a simulator on a pty master and returns it with a raw slave
// the test talks through, byte for byte, as a host would.
func start(t *testing.T) (*samsim.Sim, *os.File, <-chan error) {
	t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	slave, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		slave.Close()
		master.Close()
	})
	return sim, slave, done
}

// ask writes a request and reads one whole response frame.
func ask(t *testing.T, host *os.File, req []byte) idcard.Response {
	t.Helper()
	if _, err := host.Write(req); err != nil {
		t.Fatal(err)
	}
	if err := host.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var buf []byte
	tmp := make([]byte, 512)
	for {
		r, n, ok, err := idcard.NextResponse(buf)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if n != len(buf) {
				t.Fatalf("%d bytes after the frame", len(buf)-n)
			}
			r.Data = bytes.Clone(r.Data)
			return r
		}
		m, err := host.Read(tmp)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(buf), err)
		}
		buf = append(buf, tmp[:m]...)
	}
}

func TestAnswers(t *testing.T) {
	sim, host, _ := start(t)
	text, err := idcard.EncodeText(demo)
	if err != nil {
		t.Fatal(err)
	}
	withCard := []struct {
		name    string
		req     []byte
		sw3     byte
		dataLen int
	}{
		{"status", idcard.EncodeRequest(idcard.CmdStatus, nil), 0x90, 0},
		{"reset", idcard.EncodeRequest(idcard.CmdReset, nil), 0x90, 0},
		{"sam id", idcard.EncodeRequest(idcard.CmdSAMID, nil), 0x90, 16},
		{"find", idcard.EncodeRequest(idcard.CmdFind, nil), 0x9F, 4},
		{"select", idcard.EncodeRequest(idcard.CmdSelect, nil), 0x90, 8},
		{"read", idcard.EncodeRequest(idcard.CmdRead, nil), 0x90, 4 + 256 + 1024},
		{"read full", idcard.EncodeRequest(idcard.CmdReadFull, nil), 0x90, 6 + 256 + 1024 + samsim.FingerprintLen},
		{"appended address", idcard.EncodeRequest(idcard.Command{Cmd: 0x30, Para: 0x03}, nil), 0x91, 0},
		{"baud 9600", idcard.EncodeRequest(idcard.Command{Cmd: idcard.CmdBaud, Para: 4}, nil), 0x90, 0},
		{"baud out of range", idcard.EncodeRequest(idcard.Command{Cmd: idcard.CmdBaud, Para: 5}, nil), 0x21, 0},
		{"unknown", idcard.EncodeRequest(idcard.Command{Cmd: 0x77, Para: 0x01}, nil), 0x21, 0},
		{"bad checksum", []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0, 3, 0x20, 0x01, 0x23}, 0x10, 0},
	}
	if err := sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	for _, tt := range withCard {
		t.Run(tt.name, func(t *testing.T) {
			r := ask(t, host, tt.req)
			if r.SW3 != tt.sw3 || len(r.Data) != tt.dataLen {
				t.Fatalf("SW3 %02X, %d data bytes; want %02X, %d", r.SW3, len(r.Data), tt.sw3, tt.dataLen)
			}
		})
	}
	r := ask(t, host, idcard.EncodeRequest(idcard.CmdRead, nil))
	if !bytes.Equal(r.Data[4:260], text) || !bytes.Equal(r.Data[260:], samsim.Photo()) {
		t.Fatal("read data is not the card's text and photo")
	}
	if !strings.Contains(string(samsim.Photo()), samsim.PhotoMarker()) {
		t.Fatal("photo lacks its marker")
	}
	r = ask(t, host, idcard.EncodeRequest(idcard.CmdReadFull, nil))
	if !bytes.Equal(r.Data[:6], []byte{1, 0, 4, 0, 4, 0}) || !bytes.Equal(r.Data[6:262], text) ||
		!bytes.Equal(r.Data[262:1286], samsim.Photo()) || !bytes.Equal(r.Data[1286:], samsim.Fingerprint()) {
		t.Fatal("read-full data is not lengths, text, photo, fingerprint")
	}
	if !strings.Contains(string(samsim.Fingerprint()), samsim.FingerprintMarker()) {
		t.Fatal("fingerprint lacks its marker")
	}
	if sim.BaudCode() != 4 {
		t.Fatalf("baud code %d after 60 04", sim.BaudCode())
	}

	sim.RemoveCard()
	for _, tt := range []struct {
		cmd idcard.Command
		sw3 byte
	}{{idcard.CmdFind, 0x80}, {idcard.CmdSelect, 0x81}, {idcard.CmdRead, 0x41}} {
		if r := ask(t, host, idcard.EncodeRequest(tt.cmd, nil)); r.SW3 != tt.sw3 {
			t.Errorf("%v without card: SW3 %02X, want %02X", tt.cmd, r.SW3, tt.sw3)
		}
	}
}

func TestFaults(t *testing.T) {
	sim, host, _ := start(t)
	find := idcard.EncodeRequest(idcard.CmdFind, nil)
	read := func(want int) []byte {
		t.Helper()
		if _, err := host.Write(find); err != nil {
			t.Fatal(err)
		}
		host.SetReadDeadline(time.Now().Add(2 * time.Second))
		got := make([]byte, want)
		if _, err := io.ReadFull(host, got); err != nil {
			t.Fatalf("read %d: %v", want, err)
		}
		return got
	}
	noCard := []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0, 4, 0, 0, 0x80, 0x84}

	sim.SetFaults(samsim.Faults{BadChecksum: true})
	if got := read(11); !bytes.Equal(got[:10], noCard[:10]) || got[10] != 0x84^0xFF {
		t.Fatalf("bad checksum: % X", got)
	}
	sim.SetFaults(samsim.Faults{Garbage: true, Split: true})
	got := read(11 + 15)
	if !bytes.HasSuffix(got, noCard) || bytes.HasPrefix(got, idcard.Preamble) {
		t.Fatalf("garbage+split: % X", got)
	}
	sim.SetFaults(samsim.Faults{Truncate: true})
	if got := read(5); !bytes.Equal(got, noCard[:5]) {
		t.Fatalf("truncated: % X", got)
	}
	host.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := host.Read(make([]byte, 16)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("truncated frame was followed by %d more bytes (%v)", n, err)
	}
	sim.SetFaults(samsim.Faults{Delay: 150 * time.Millisecond})
	start := time.Now()
	read(11)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered after %v despite a 150ms delay", d)
	}
}

func TestSetCardRejectsOversizedFields(t *testing.T) {
	sim := samsim.New(nil, nil)
	c := demo
	c.Name = strings.Repeat("名", 20)
	if err := sim.SetCard(c); err == nil || sim.HasCard() {
		t.Fatalf("SetCard accepted a 20-character name (err %v)", err)
	}
	if err := sim.SetCard(demo); err != nil || !sim.HasCard() {
		t.Fatal(err)
	}
}

func TestRunReturnsWhenTheLineFails(t *testing.T) {
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	slave, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- samsim.New(master, nil).Run(t.Context()) }()
	slave.Close() // hang-up: the master reads EIO
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Run returned nil after a hang-up")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the slave closed")
	}
}

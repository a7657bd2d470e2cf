package escpos_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
	"github.com/gansu-credit/credit/internal/pty"
)

func TestQueryStatus(t *testing.T) {
	tests := []struct {
		name  string
		state escpossim.State
		want  escpos.Status
		msg   string // "" when ready
	}{
		{"ready", escpossim.State{}, escpos.Status{}, ""},
		{"near end is still ready", escpossim.State{PaperNearEnd: true}, escpos.Status{PaperNearEnd: true}, ""},
		{"paper out", escpossim.State{PaperOut: true, PaperNearEnd: true}, escpos.Status{PaperOut: true, PaperNearEnd: true}, "缺纸"},
		{"cover open", escpossim.State{CoverOpen: true}, escpos.Status{CoverOpen: true}, "盖"},
		{"error", escpossim.State{Error: true}, escpos.Status{Error: true}, "故障"},
		{"offline", escpossim.State{Offline: true}, escpos.Status{Offline: true}, "离线"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := escpossim.New()
			sim.SetState(tt.state, false)
			st, err := escpos.QueryStatus(t.Context(), sim)
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.want {
				t.Errorf("status %+v, want %+v", st, tt.want)
			}
			if st.Ready() != (tt.msg == "") {
				t.Errorf("Ready() = %v", st.Ready())
			}
			err = st.Err()
			if tt.msg == "" && err != nil || tt.msg != "" && (credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), tt.msg)) {
				t.Errorf("Err() = %v, want %q", err, tt.msg)
			}
			cmds, err := sim.Commands()
			if err != nil || len(cmds) != 3 || cmds[2].Kind != escpossim.StatusRequest || cmds[2].N != 4 {
				t.Errorf("requests sent: %v, %v", cmds, err)
			}
		})
	}
}

func TestQueryStatusNoAnswer(t *testing.T) {
	sim := escpossim.New()
	sim.SetState(escpossim.State{}, true)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := escpos.QueryStatus(ctx, sim)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "无应答") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want 打印机无应答 after the deadline", err)
	}
	sim.Unplug()
	_, err = escpos.QueryStatus(t.Context(), sim)
	if credit.ErrorMessage(err) != "打印机未连接" {
		t.Errorf("unplugged: %v", err)
	}
}

// TestQueryStatusSerialPTY asks over tarm/serial on a real pty; the
// master side plays a printer with its paper out, then one that sends
// garbage, then one that says nothing.
func TestQueryStatusSerialPTY(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	port, err := escpos.OpenSerial(slave, 9600)
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	answer := func(count int, reply func(n byte) []byte) {
		buf := make([]byte, 3)
		for range count {
			master.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := readFull(master, buf); err != nil {
				return
			}
			if buf[0] != 0x10 || buf[1] != 0x04 {
				t.Errorf("request % X", buf)
				return
			}
			master.Write(reply(buf[2]))
		}
	}

	go answer(3, func(n byte) []byte {
		return map[byte][]byte{1: {0x12}, 2: {0x32}, 4: {0x7E}}[n]
	})
	st, err := escpos.QueryStatus(t.Context(), port)
	if err != nil {
		t.Fatal(err)
	}
	if !st.PaperOut || !st.PaperNearEnd || st.Offline || st.Ready() {
		t.Errorf("status %+v, want paper out", st)
	}

	go answer(1, func(byte) []byte { return []byte{0xFF} }) // QueryStatus stops at the first bad byte
	if _, err := escpos.QueryStatus(t.Context(), port); !strings.Contains(credit.ErrorMessage(err), "无应答") ||
		!strings.Contains(err.Error(), "not a status byte") {
		t.Errorf("garbage answer: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	drain := make(chan struct{})
	go func() { // read the requests, answer nothing
		defer close(drain)
		buf := make([]byte, 16)
		master.SetReadDeadline(time.Now().Add(time.Second))
		for {
			if _, err := master.Read(buf); err != nil {
				return
			}
		}
	}()
	if _, err := escpos.QueryStatus(ctx, port); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("silent printer: %v", err)
	}
	<-drain
}

func readFull(f interface{ Read([]byte) (int, error) }, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := f.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

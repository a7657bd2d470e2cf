package escpos_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

// The app's SlipPrinter port, satisfied implicitly.
var _ interface {
	PrintSlip(context.Context, credit.Slip) error
} = (*escpos.SlipPrinter)(nil)

func sampleSlip() credit.Slip {
	return credit.Slip{
		Title: "信用信息异议申请回执",
		Lines: []credit.SlipLine{
			{Label: "申请编号", Value: "YY-620102-20260115-0042"},
			{Label: "申请人", Value: "王*"},
			{Label: "答复期限", Value: "2026-01-22 前（5 个工作日）"},
		},
		QR:     sampleCR1,
		Footer: []string{"免费办理 / free of charge"},
	}
}

// simSocket is a printer port a simulated printer can be plugged into:
// each open while plugged returns a fresh connection (a new Sim), as
// reopening /dev/usb/lp0 does.
type simSocket struct {
	mu      sync.Mutex
	plugged bool
	opens   int
	sims    []*escpossim.Sim
}

func (s *simSocket) open(context.Context) (io.WriteCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opens++
	if !s.plugged {
		return nil, &fs.PathError{Op: "open", Path: "/dev/usb/lp0", Err: fs.ErrNotExist}
	}
	sim := escpossim.New()
	s.sims = append(s.sims, sim)
	return sim, nil
}

// printed parses b and returns its text lines, decoded raster QR texts,
// native QR payloads and number of cuts.
func printed(t *testing.T, b []byte) (lines, qrs []string, cuts int) {
	t.Helper()
	cmds, err := escpossim.Parse(b)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, img := range escpossim.Rasters(cmds) {
		txt, err := decodeQR(img)
		if err != nil {
			t.Fatalf("decode raster QR: %v", err)
		}
		qrs = append(qrs, txt)
	}
	for _, c := range cmds {
		switch c.Kind {
		case escpossim.Cut:
			cuts++
		case escpossim.QRStore:
			qrs = append(qrs, string(c.Data))
		}
	}
	return escpossim.Lines(cmds), qrs, cuts
}

func TestPrintSlip(t *testing.T) {
	noQR := sampleSlip()
	noQR.QR = ""
	for _, tt := range []struct {
		name string
		cfg  escpos.Config
		slip credit.Slip
	}{
		{"58mm raster", escpos.Config{}, sampleSlip()},
		{"80mm raster", escpos.Config{Width: escpos.Paper80}, sampleSlip()},
		{"58mm native", escpos.Config{NativeQR: true}, sampleSlip()},
		{"no QR", escpos.Config{}, noQR},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sock := &simSocket{plugged: true}
			sp := escpos.NewSlipPrinter(sock.open, tt.cfg)
			if err := sp.PrintSlip(t.Context(), tt.slip); err != nil {
				t.Fatal(err)
			}
			if sock.opens != 1 || len(sock.sims) != 1 {
				t.Fatalf("opened %d times, want 1", sock.opens)
			}
			if _, err := sock.sims[0].Write([]byte{0}); !errors.Is(err, escpossim.ErrClosed) {
				t.Errorf("printer left open after the slip (write err %v)", err)
			}
			lines, qrs, cuts := printed(t, sock.sims[0].Bytes())
			text := strings.Join(lines, "\n")
			flat := squash(text) // lines wrap on narrow paper
			want := []string{tt.slip.Title}
			for _, l := range tt.slip.Lines {
				want = append(want, l.Label+"："+l.Value)
			}
			want = append(want, tt.slip.Footer...)
			for _, w := range want {
				if !strings.Contains(flat, squash(w)) {
					t.Errorf("printed text lacks %q:\n%s", w, text)
				}
			}
			if tt.slip.QR == "" {
				if len(qrs) != 0 {
					t.Errorf("QR codes %q printed for a slip without one", qrs)
				}
			} else if len(qrs) != 1 || qrs[0] != tt.slip.QR {
				t.Errorf("QR codes = %q, want [%q]", qrs, tt.slip.QR)
			}
			if cuts != 1 {
				t.Errorf("%d cuts, want 1", cuts)
			}
		})
	}
}

func TestPrintSlipUnpluggedThenBack(t *testing.T) {
	sock := &simSocket{}
	sp := escpos.NewSlipPrinter(sock.open, escpos.Config{})
	err := sp.PrintSlip(t.Context(), sampleSlip())
	assertNotConnected(t, err)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want it to wrap the open failure", err)
	}

	sock.plugged = true
	if err := sp.PrintSlip(t.Context(), sampleSlip()); err != nil {
		t.Fatalf("after reconnecting: %v", err)
	}
	if len(sock.sims) != 1 {
		t.Fatalf("%d connections, want 1", len(sock.sims))
	}
	if _, qrs, cuts := printed(t, sock.sims[0].Bytes()); cuts != 1 || len(qrs) != 1 {
		t.Errorf("after reconnecting: %d cuts, %d QR codes; want the slip once", cuts, len(qrs))
	}
}

// TestPrintSlipDeviceFile goes through DeviceOpener and a real file: a
// missing device node is "not connected"; once it exists the slip lands
// in it exactly once.
func TestPrintSlipDeviceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	sp := escpos.NewSlipPrinter(escpos.DeviceOpener(path), escpos.Config{})
	assertNotConnected(t, sp.PrintSlip(t.Context(), sampleSlip()))
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a failed open created %s (err %v)", path, err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sp.PrintSlip(t.Context(), sampleSlip()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, qrs, cuts := printed(t, b); cuts != 1 || len(qrs) != 1 || qrs[0] != sampleCR1 {
		t.Errorf("device got %d cuts and QR codes %q; want one slip with %q", cuts, qrs, sampleCR1)
	}
}

func TestPrintSlipSerialOpenerMissingPort(t *testing.T) {
	sp := escpos.NewSlipPrinter(escpos.SerialOpener(filepath.Join(t.TempDir(), "ttyUSB9"), 9600), escpos.Config{})
	assertNotConnected(t, sp.PrintSlip(t.Context(), sampleSlip()))
}

// TestPrintSlipUnpluggedMidway: a printer pulled out while the slip is
// sent gives "not connected"; the retry prints the whole slip once.
func TestPrintSlipUnpluggedMidway(t *testing.T) {
	var sims []*escpossim.Sim
	open := func(context.Context) (io.WriteCloser, error) {
		s := escpossim.New()
		if len(sims) == 0 {
			s.FailAfter(100)
		}
		sims = append(sims, s)
		return s, nil
	}
	sp := escpos.NewSlipPrinter(open, escpos.Config{})
	assertNotConnected(t, sp.PrintSlip(t.Context(), sampleSlip()))
	if err := sp.PrintSlip(t.Context(), sampleSlip()); err != nil {
		t.Fatal(err)
	}
	if got := len(sims[0].Bytes()); got != 100 {
		t.Errorf("first printer took %d bytes, want 100", got)
	}
	if _, qrs, cuts := printed(t, sims[1].Bytes()); cuts != 1 || len(qrs) != 1 {
		t.Errorf("retry printed %d cuts and %d QR codes, want 1 and 1", cuts, len(qrs))
	}
}

func TestPrintSlipInvalidNeverOpens(t *testing.T) {
	sock := &simSocket{plugged: true}
	sp := escpos.NewSlipPrinter(sock.open, escpos.Config{})
	s := sampleSlip()
	s.QR = "CR1:" + strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20) // too big for 58 mm
	err := sp.PrintSlip(t.Context(), s)
	if credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if sock.opens != 0 {
		t.Errorf("printer opened %d times for a slip that cannot be printed", sock.opens)
	}
}

func TestPrintSlipCancelled(t *testing.T) {
	sock := &simSocket{plugged: true}
	sp := escpos.NewSlipPrinter(sock.open, escpos.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := sp.PrintSlip(ctx, sampleSlip())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(sock.sims) == 1 && len(sock.sims[0].Bytes()) != 0 {
		t.Errorf("a cancelled slip sent %d bytes", len(sock.sims[0].Bytes()))
	}
}

func assertNotConnected(t *testing.T, err error) {
	t.Helper()
	if credit.ErrorCode(err) != credit.EUNAVAILABLE ||
		credit.ErrorMessage(err) != "打印机未连接，请联系工作人员" ||
		credit.ErrorMessageEN(err) != "The receipt printer is not connected. Please ask a member of staff." {
		t.Fatalf("err = %v, want EUNAVAILABLE 打印机未连接，请联系工作人员", err)
	}
}

// squash removes spaces and line breaks.
func squash(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }

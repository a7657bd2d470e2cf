package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Opener opens the printer's transport for one slip. It is called once
// per PrintSlip, so a printer unplugged and plugged back in is found again
// without restarting the program.
type Opener func(ctx context.Context) (io.WriteCloser, error)

// DeviceOpener opens a printer device file (/dev/usb/lp0) with OpenDevice.
func DeviceOpener(path string) Opener {
	return func(context.Context) (io.WriteCloser, error) { return OpenDevice(path) }
}

// SerialOpener opens a serial printer (/dev/ttyUSB0, COM3) at baud with
// OpenSerial.
func SerialOpener(path string, baud int) Opener {
	return func(context.Context) (io.WriteCloser, error) { return OpenSerial(path, baud) }
}

// SlipPrinter prints credit.Slip receipts on an ESC/POS printer. It
// implements the app's SlipPrinter port. It opens the printer for each
// slip and closes it afterwards, and it is safe for concurrent use (slips
// are printed one at a time).
type SlipPrinter struct {
	open Opener
	cfg  Config
	mu   sync.Mutex
}

// NewSlipPrinter returns a SlipPrinter that opens its printer with open
// (DeviceOpener, SerialOpener, or a test's simulator) and lays slips out
// for cfg (the zero Config is a 58 mm printer with raster QR codes).
func NewSlipPrinter(open Opener, cfg Config) *SlipPrinter {
	return &SlipPrinter{open: open, cfg: cfg.withDefaults()}
}

// errSlipNotConnected is the error PrintSlip gives when the printer
// cannot be opened or stops taking data: EUNAVAILABLE.
func errSlipNotConnected() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "打印机未连接，请联系工作人员",
		"The receipt printer is not connected. Please ask a member of staff.")
}

// PrintSlip lays s out with Printer.Receipt (title, label/value lines,
// QR, footer, cut) and sends it. The slip is laid out before the printer
// is opened, so a slip that cannot be printed (a QR too large for the
// paper: EINVALID) never reaches the printer. A printer that cannot be
// opened, or that fails while the slip is being sent, gives an
// EUNAVAILABLE *credit.Error "打印机未连接，请联系工作人员" wrapping the
// cause (a device the user may not open keeps OpenDevice's permission
// message; a printer that stops taking data until ctx is done keeps
// Flush's "打印机无响应"). Nothing is sent when the open fails, so a retry
// prints the slip once; a slip cut off in the middle is printed whole
// again on retry. A failure to close after every byte was accepted is
// logged, not returned, since the slip has printed.
func (sp *SlipPrinter) PrintSlip(ctx context.Context, s credit.Slip) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	conn := &lateWriter{}
	p := New(conn, sp.cfg)
	if err := p.Receipt(slipReceipt(s)); err != nil {
		return fmt.Errorf("escpos: lay out slip: %w", err)
	}
	if r := p.Replaced(); len(r) > 0 {
		sp.cfg.Logger.WarnContext(ctx, "receipt characters printed as '?'", "count", len(r))
	}
	w, err := sp.open(ctx)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("escpos: open printer: %w", err)
		}
		return fmt.Errorf("escpos: open printer: %w: %w", errSlipNotConnected(), err)
	}
	conn.w = w
	if err := p.Flush(ctx); err != nil {
		_ = w.Close()
		if ctx.Err() != nil {
			return fmt.Errorf("escpos: print slip: %w", err)
		}
		return fmt.Errorf("escpos: print slip: %w: %w", errSlipNotConnected(), err)
	}
	if err := w.Close(); err != nil {
		sp.cfg.Logger.WarnContext(ctx, "receipt printer close failed after the slip was sent", "err", err)
	}
	return nil
}

// slipReceipt converts the printer-neutral slip to the encoder's Receipt.
func slipReceipt(s credit.Slip) Receipt {
	r := Receipt{Title: s.Title, QR: s.QR, Footer: s.Footer}
	if len(s.Lines) > 0 {
		r.Lines = make([]Line, len(s.Lines))
		for i, l := range s.Lines {
			r.Lines[i] = Line{Label: l.Label, Value: l.Value}
		}
	}
	return r
}

// lateWriter is the Printer's transport before the device is open: the
// slip is laid out first and the device set afterwards. It passes write
// deadlines through, so Flush can still interrupt a blocked device write.
type lateWriter struct{ w io.Writer }

func (l *lateWriter) Write(b []byte) (int, error) {
	if l.w == nil {
		return 0, errors.New("escpos: printer not open")
	}
	return l.w.Write(b)
}

// SetWriteDeadline sets the device's write deadline if it has one.
func (l *lateWriter) SetWriteDeadline(t time.Time) error {
	if d, ok := l.w.(deadliner); ok {
		return d.SetWriteDeadline(t)
	}
	return errors.ErrUnsupported
}

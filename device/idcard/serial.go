package idcard

import (
	"fmt"
	"io"
	"time"

	"github.com/tarm/serial"

	credit "github.com/gansu-credit/credit"
)

// DefaultBaud is the SAM's factory line speed (115200 8N1).
const DefaultBaud = 115200

// portReadTimeout is the per-Read timeout of the serial port.
//
// tarm/serial implements ReadTimeout on Linux with VMIN=0 and VTIME in
// tenths of a second (integer truncation, clamped to 0.1-25.5 s), so 100 ms
// is the finest step: a timed-out Read returns (0, io.EOF) on Linux and
// (0, nil) on Windows, and the Reader treats both as "no data yet" while it
// enforces each command's own deadline. A timeout is also required for a
// clean shutdown: tarm's Close blocks while a Read is pending, and with
// ReadTimeout 0 (fully blocking, VMIN=1) it would hang for as long as the
// reader stays silent. With 100 ms, Close returns within about 0.1 s.
const portReadTimeout = 100 * time.Millisecond

// Port is an open serial line to the reader. It satisfies io.ReadWriteCloser
// and has Flush, which the Reader calls before every command.
type Port struct {
	p *serial.Port
}

// OpenSerial opens path (e.g. /dev/ttyUSB0, /dev/credit-idcard, COM3) at
// baud, 8N1, raw, with a 100 ms read timeout.
func OpenSerial(path string, baud int) (*Port, error) {
	p, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: portReadTimeout})
	if err != nil {
		return nil, fmt.Errorf("idcard: open %s at %d baud: %v: %w", path, baud, err,
			credit.Errorf(credit.EUNAVAILABLE, "无法打开读卡器端口 %s，请检查读卡器连接。",
				"Cannot open the card reader port %s. Check that the reader is connected.", path))
	}
	return &Port{p: p}, nil
}

// Read reads what has arrived, returning (0, io.EOF) or (0, nil) after
// 100 ms without data.
func (p *Port) Read(b []byte) (int, error) { return p.p.Read(b) }

// Write writes b to the line.
func (p *Port) Write(b []byte) (int, error) { return p.p.Write(b) }

// Flush discards unread input and untransmitted output.
func (p *Port) Flush() error { return p.p.Flush() }

// Close closes the port. It may take up to 100 ms if a Read is pending.
func (p *Port) Close() error { return p.p.Close() }

// Open opens the serial port at path (at DefaultBaud) and returns a Reader
// over it and the port to close when done.
func Open(path string, cfg Config) (*Reader, io.Closer, error) {
	p, err := OpenSerial(path, DefaultBaud)
	if err != nil {
		return nil, nil, err
	}
	return New(p, cfg), p, nil
}

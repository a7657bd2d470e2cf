package escpos

import (
	"fmt"
	"io"
	"time"

	"github.com/tarm/serial"
)

// serialReadTimeout bounds each Read on a serial printer (tarm/serial's
// 0.1 s step): QueryStatus polls, and Close does not hang behind a
// blocked Read.
const serialReadTimeout = 100 * time.Millisecond

// OpenSerial opens a serial receipt printer at path (/dev/ttyUSB0, COM3)
// at baud, 8N1, raw. tarm/serial cannot configure RTS/CTS or XON/XOFF
// flow control; printers that need it must be set to a speed they can
// absorb without it (or use their USB port with OpenDevice). A port that
// cannot be opened is EUNAVAILABLE "打印机未连接". The port can be read, so
// QueryStatus works on it; a Read returns (0, io.EOF) after 0.1 s without
// data.
func OpenSerial(path string, baud int) (io.ReadWriteCloser, error) {
	if baud <= 0 {
		return nil, fmt.Errorf("escpos: open %s: baud %d: want a positive rate", path, baud)
	}
	s, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: serialReadTimeout})
	if err != nil {
		return nil, fmt.Errorf("escpos: open %s at %d baud: %w: %w", path, baud, openError(err), err)
	}
	return s, nil
}

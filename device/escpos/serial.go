package escpos

import (
	"fmt"
	"io"

	"github.com/tarm/serial"
)

// OpenSerial opens a serial receipt printer at path (/dev/ttyUSB0, COM3)
// at baud, 8N1, raw. tarm/serial cannot configure RTS/CTS or XON/XOFF
// flow control; printers that need it must be set to a speed they can
// absorb without it (or use their USB port with OpenDevice). A port that
// cannot be opened is EUNAVAILABLE "打印机未连接".
func OpenSerial(path string, baud int) (io.WriteCloser, error) {
	if baud <= 0 {
		return nil, fmt.Errorf("escpos: open %s: baud %d: want a positive rate", path, baud)
	}
	s, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud})
	if err != nil {
		return nil, fmt.Errorf("escpos: open %s at %d baud: %w: %w", path, baud, openError(err), err)
	}
	return s, nil
}

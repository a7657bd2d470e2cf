package escpos

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	credit "github.com/gansu-credit/credit"
)

// OpenDevice opens a printer device file for writing: a USB printer-class
// node (/dev/usb/lp0), a parallel port, or a serial port that needs no
// line settings. It never creates a file, so a missing printer is an
// error rather than a regular file in /dev. A missing device is
// EUNAVAILABLE "打印机未连接"; a device the kiosk user may not open is
// EUNAVAILABLE with a permission message. Both wrap the cause.
func OpenDevice(path string) (io.WriteCloser, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("escpos: open %s: %w: %w", path, openError(err), err)
	}
	return f, nil
}

// openError maps an open failure to the message the person at the
// terminal sees.
func openError(err error) *credit.Error {
	if errors.Is(err, fs.ErrPermission) {
		return credit.Errorf(credit.EUNAVAILABLE, "无权使用打印机，请联系工作人员。",
			"The receipt printer cannot be used (no permission). Please ask a member of staff.")
	}
	return errUnavailable()
}

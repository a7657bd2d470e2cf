package idcard

import (
	"context"
	"errors"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// ReadCardFull is ReadCard with the 2013 command 30 10, which also returns
// the fingerprint templates (0, 512 or 1024 bytes). Some readers answer
// only this form. The templates are never parsed or copied: they sit in
// the receive buffer until the checksum is verified and the text block is
// copied out, and are then zeroed with the rest of it. Only the text
// fields are returned.
func (r *Reader) ReadCardFull(ctx context.Context) (credit.IDCard, error) {
	return r.readCard(ctx, CmdReadFull)
}

// maxAddressLen is the size of the appended-address block (35 chars).
const maxAddressLen = 70

// AppendedAddress finds and selects the card, then reads its newest
// appended address (30 03): the address a police station wrote onto the
// card after a move, which replaces the printed one. It returns "" and nil
// when the card holds none (SW3 91). With no card it returns ErrNoCard.
func (r *Reader) AppendedAddress(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.findAndSelect(ctx); err != nil {
		return "", err
	}
	var addr string
	err := r.transact(ctx, CmdAddress, r.cfg.ReadTimeout, func(resp Response) error {
		d := resp.Data
		if len(d)%2 != 0 || len(d) > maxAddressLen {
			return fmt.Errorf("idcard: %s: %d data bytes, want an even number up to %d: %w", CmdAddress, len(d), maxAddressLen, ErrBadFrame)
		}
		addr = field(d, span{0, len(d)})
		return nil
	})
	if lastSW3(err) == SW3NoItem {
		return "", nil // the card holds no appended address
	}
	return addr, err
}

// sw3Error carries the SW3 of a failed command, so callers can tell
// codes that share a credit.Error code apart (91 from 81).
type sw3Error struct {
	sw3 byte
	err error
}

func (e *sw3Error) Error() string { return e.err.Error() }
func (e *sw3Error) Unwrap() error { return e.err }

// lastSW3 returns the SW3 carried by err, or 0.
func lastSW3(err error) byte {
	var se *sw3Error
	if errors.As(err, &se) {
		return se.sw3
	}
	return 0
}

// BaudCode returns the Para byte of the baud-rate switch 60 nn for baud:
// 00 115200, 01 57600, 02 38400, 03 19200, 04 9600.
func BaudCode(baud int) (byte, error) {
	switch baud {
	case 115200:
		return 0, nil
	case 57600:
		return 1, nil
	case 38400:
		return 2, nil
	case 19200:
		return 3, nil
	case 9600:
		return 4, nil
	}
	return 0, credit.Errorf(credit.EINVALID, "读卡器不支持波特率 %d（可选 115200、57600、38400、19200、9600）。",
		"The reader does not support %d baud (choose 115200, 57600, 38400, 19200 or 9600).", baud)
}

// SetBaud asks the SAM to switch its line speed (60 nn). The answer comes
// at the old speed; afterwards the caller must close the port and reopen
// it at baud (OpenSerial). Whether the SAM keeps the speed across a power
// cycle depends on the model.
func (r *Reader) SetBaud(ctx context.Context, baud int) error {
	code, err := BaudCode(baud)
	if err != nil {
		return fmt.Errorf("idcard: set baud: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.transact(ctx, Command{CmdBaud, code}, r.cfg.StatusTimeout, nil)
}

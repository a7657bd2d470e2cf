package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Status is what a printer reports about itself through DLE EOT (real-time
// status transmission). Only printers on a two-way line (serial, or a USB
// port that can be read) answer.
type Status struct {
	Offline      bool // DLE EOT 1, bit 3
	CoverOpen    bool // DLE EOT 2, bit 2
	PaperNearEnd bool // DLE EOT 4, bits 2-3
	PaperOut     bool // DLE EOT 4, bits 5-6 (or DLE EOT 2, bit 5: stopped for paper end)
	Error        bool // DLE EOT 2, bit 6 (cutter jam, head too hot, …)
}

// Ready reports whether a receipt can be printed now.
func (s Status) Ready() bool { return !s.Offline && !s.CoverOpen && !s.PaperOut && !s.Error }

// Err is nil when the printer is ready, else a user-facing EUNAVAILABLE
// error naming the first problem found (paper out, cover open, error,
// offline).
func (s Status) Err() error {
	switch {
	case s.PaperOut:
		return credit.Errorf(credit.EUNAVAILABLE, "打印机缺纸，请联系工作人员更换纸卷", "The receipt printer is out of paper. Please ask a member of staff.")
	case s.CoverOpen:
		return credit.Errorf(credit.EUNAVAILABLE, "打印机纸仓盖未关好", "The receipt printer's cover is open.")
	case s.Error:
		return credit.Errorf(credit.EUNAVAILABLE, "打印机故障，请联系工作人员", "The receipt printer has a fault. Please ask a member of staff.")
	case s.Offline:
		return credit.Errorf(credit.EUNAVAILABLE, "打印机离线", "The receipt printer is offline.")
	}
	return nil
}

// errNoStatus is returned when the printer does not answer DLE EOT.
func errNoStatus() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "打印机无应答", "The receipt printer does not answer.")
}

// statusPoll is how often QueryStatus retries a read that timed out.
const statusPoll = 10 * time.Millisecond

// QueryStatus asks the printer on rw for its status with DLE EOT 1, 2 and
// 4 and decodes the three answer bytes. Each answer must come before
// ctx's deadline: a reader that times out (tarm/serial returns (0, io.EOF)
// or (0, nil)) is polled again until then. A printer that never answers,
// or answers with a byte that is not a status byte (bits 1 and 4 set,
// bits 0 and 7 clear), gives EUNAVAILABLE "打印机无应答" wrapping the
// cause. Call it before building a receipt, not in the middle of a
// raster image: the printer takes the request as data there.
func QueryStatus(ctx context.Context, rw io.ReadWriter) (Status, error) {
	var b [3]byte
	for i, n := range [3]byte{1, 2, 4} {
		if _, err := rw.Write([]byte{0x10, 0x04, n}); err != nil {
			return Status{}, fmt.Errorf("escpos: status %d: %w: %w", n, errUnavailable(), err)
		}
		v, err := readStatusByte(ctx, rw)
		if err != nil {
			return Status{}, fmt.Errorf("escpos: status %d: %w: %w", n, errNoStatus(), err)
		}
		b[i] = v
	}
	return Status{
		Offline:      b[0]&0x08 != 0,
		CoverOpen:    b[1]&0x04 != 0,
		PaperOut:     b[2]&0x60 != 0 || b[1]&0x20 != 0,
		PaperNearEnd: b[2]&0x0C != 0,
		Error:        b[1]&0x40 != 0,
	}, nil
}

func readStatusByte(ctx context.Context, r io.Reader) (byte, error) {
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n == 1 {
			if one[0]&0x93 != 0x12 {
				return 0, fmt.Errorf("answer %#02x is not a status byte", one[0])
			}
			return one[0], nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(statusPoll):
		}
	}
}

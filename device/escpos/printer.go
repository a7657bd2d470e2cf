package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Paper widths in dots at 203 dpi (8 dots/mm): the printable width of
// 58 mm and 80 mm rolls.
const (
	Paper58 = 384
	Paper80 = 576
)

// Alignment is the justification set by ESC a n.
type Alignment byte

// Alignments.
const (
	Left   Alignment = 0
	Center Alignment = 1
	Right  Alignment = 2
)

// ChineseMode says what Init does about the printer's Chinese (2-byte GB)
// mode.
type ChineseMode int

// Chinese modes. Most China-market printers start in Chinese mode, so the
// default leaves the printer as it is.
const (
	ChineseDefault ChineseMode = iota // send nothing
	ChineseOn                         // FS & after ESC @
	ChineseOff                        // FS . after ESC @
)

// DefaultModuleDots is the size of one QR module in dots (0.5 mm at
// 203 dpi, reports.md §7.3).
const DefaultModuleDots = 4

// chunkSize is how many bytes Flush writes at a time between checks of
// the context: about 0.4 s at 9600 baud.
const chunkSize = 512

// Config describes the printer. The zero value is a 58 mm printer with
// raster QR codes.
type Config struct {
	Width      int         // printable width in dots: Paper58 (default) or Paper80
	NativeQR   bool        // print QR codes with GS ( k instead of a raster image
	ModuleDots int         // dots per QR module; default DefaultModuleDots
	Chinese    ChineseMode // FS & / FS . after ESC @
	// FourByte allows GB18030 four-byte codes (characters outside GBK,
	// e.g. 𠮷). Most printers' fonts lack them, so by default such
	// characters print as '?' and are reported by Replaced.
	FourByte bool
	Logger   *slog.Logger // receives warnings (counts only, never text); default discards
	// Rate, if positive, limits Flush to about this many bytes per second:
	// for serial printers without flow control (tarm/serial has none)
	// whose buffer overflows on a raster image sent at full line speed.
	Rate int
}

func (c Config) withDefaults() Config {
	if c.Width <= 0 {
		c.Width = Paper58
	}
	if c.ModuleDots <= 0 {
		c.ModuleDots = DefaultModuleDots
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Printer encodes ESC/POS commands for one printer. It is not safe for
// concurrent use.
type Printer struct {
	w        io.Writer
	cfg      Config
	buf      []byte
	err      error
	align    Alignment
	wide     int // character width multiplier set by Size
	replaced []rune
}

// New returns a Printer that writes to w on Flush. It does no I/O.
func New(w io.Writer, cfg Config) *Printer {
	return &Printer{w: w, cfg: cfg.withDefaults(), wide: 1}
}

// Config returns the printer's configuration with defaults filled in.
func (p *Printer) Config() Config { return p.cfg }

// Columns is the number of half-width (ASCII) characters per line in the
// standard 12×24 font at normal size: 32 on 58 mm paper, 48 on 80 mm.
func (p *Printer) Columns() int { return p.cfg.Width / 12 }

// Err returns the first error met, or nil.
func (p *Printer) Err() error { return p.err }

// Buffered returns the bytes encoded but not yet flushed. The slice is
// valid until the next call.
func (p *Printer) Buffered() []byte { return p.buf }

// Replaced returns the characters that could not be encoded and were
// printed as '?', in order, since the Printer was made.
func (p *Printer) Replaced() []rune { return append([]rune(nil), p.replaced...) }

func (p *Printer) fail(err error) error {
	if p.err == nil {
		p.err = err
	}
	return p.err
}

func (p *Printer) put(b ...byte) error {
	if p.err != nil {
		return p.err
	}
	p.buf = append(p.buf, b...)
	return nil
}

// errUnavailable is the user-facing error for a missing or failing printer.
func errUnavailable() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "打印机未连接", "The receipt printer is not connected")
}

// errNotResponding is the user-facing error for a printer that stops
// taking data (out of paper, cover open, offline).
func errNotResponding() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "打印机无响应，请检查纸张和电源",
		"The receipt printer is not responding. Check the paper and the power.")
}

// deadliner is a transport whose blocked writes can be interrupted, as an
// *os.File on a pollable device (/dev/usb/lp*, a tty) is.
type deadliner interface {
	SetWriteDeadline(t time.Time) error
}

// Flush writes the buffered commands to the transport, 512 bytes at a
// time, stopping when ctx is done. A failed write is an EUNAVAILABLE
// *credit.Error ("打印机未连接") wrapping the cause. If the transport has
// SetWriteDeadline (an *os.File on a device), a write blocked because the
// printer stopped taking data is interrupted when ctx is done and
// reported as "打印机无响应" wrapping ctx's error; other transports are
// checked between chunks only. Errors stick. On error the unsent bytes
// are kept, so Buffered shows what was lost.
func (p *Printer) Flush(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	if d, ok := p.w.(deadliner); ok && len(p.buf) > 0 {
		stop := context.AfterFunc(ctx, func() { _ = d.SetWriteDeadline(time.Now()) })
		defer func() {
			if !stop() {
				_ = d.SetWriteDeadline(time.Time{}) // the AfterFunc ran: clear its deadline
			}
		}()
	}
	for len(p.buf) > 0 {
		if err := ctx.Err(); err != nil {
			return p.fail(fmt.Errorf("escpos: flush: %w", err))
		}
		n := min(chunkSize, len(p.buf))
		m, err := p.w.Write(p.buf[:n])
		if err == nil && m < n {
			err = io.ErrShortWrite
		}
		if m > 0 {
			p.buf = p.buf[m:]
		}
		if err == nil && p.cfg.Rate > 0 && len(p.buf) > 0 {
			err = pause(ctx, time.Duration(m)*time.Second/time.Duration(p.cfg.Rate))
			if err != nil {
				return p.fail(fmt.Errorf("escpos: flush: %w", err))
			}
		}
		if err != nil {
			p.cfg.Logger.WarnContext(ctx, "receipt printer write failed", "err", err, "unsent", len(p.buf))
			if cerr := ctx.Err(); cerr != nil && errors.Is(err, os.ErrDeadlineExceeded) {
				return p.fail(fmt.Errorf("escpos: write: %w: %w", errNotResponding(), cerr))
			}
			return p.fail(fmt.Errorf("escpos: write: %w: %w", errUnavailable(), err))
		}
	}
	p.buf = p.buf[:0]
	return nil
}

// pause waits d or until ctx is done.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Init resets the printer (ESC @) and, if configured, switches Chinese
// mode on (FS &) or off (FS .).
func (p *Printer) Init() error {
	p.align, p.wide = Left, 1
	if err := p.put(0x1B, 0x40); err != nil {
		return err
	}
	switch p.cfg.Chinese {
	case ChineseOn:
		return p.put(0x1C, 0x26)
	case ChineseOff:
		return p.put(0x1C, 0x2E)
	}
	return nil
}

// Chinese switches the printer's Chinese mode on (FS &) or off (FS .).
func (p *Printer) Chinese(on bool) error {
	if on {
		return p.put(0x1C, 0x26)
	}
	return p.put(0x1C, 0x2E)
}

// Bold turns emphasis on or off (ESC E n).
func (p *Printer) Bold(on bool) error {
	var n byte
	if on {
		n = 1
	}
	return p.put(0x1B, 0x45, n)
}

// Size sets the character width and height multipliers, 1 to 8 each
// (GS ! n).
func (p *Printer) Size(width, height int) error {
	if width < 1 || width > 8 || height < 1 || height > 8 {
		return p.fail(fmt.Errorf("escpos: size %d×%d: multipliers must be 1 to 8", width, height))
	}
	if err := p.put(0x1D, 0x21, byte(width-1)<<4|byte(height-1)); err != nil {
		return err
	}
	p.wide = width
	return nil
}

// Align sets the justification of the following lines (ESC a n).
func (p *Printer) Align(a Alignment) error {
	if a > Right {
		return p.fail(fmt.Errorf("escpos: align %d: want 0, 1 or 2", a))
	}
	if err := p.put(0x1B, 0x61, byte(a)); err != nil {
		return err
	}
	p.align = a
	return nil
}

// Feed prints the buffer and feeds n lines, 0 to 255 (ESC d n).
func (p *Printer) Feed(n int) error {
	if n < 0 || n > 255 {
		return p.fail(fmt.Errorf("escpos: feed %d lines: want 0 to 255", n))
	}
	return p.put(0x1B, 0x64, byte(n))
}

// Cut feeds to the cutter plus feedDots dots (0 to 255) and cuts
// partially, leaving a hinge (GS V 66 n), so the last line is never
// sliced.
func (p *Printer) Cut(feedDots int) error {
	if feedDots < 0 || feedDots > 255 {
		return p.fail(fmt.Errorf("escpos: cut after %d dots: want 0 to 255", feedDots))
	}
	return p.put(0x1D, 0x56, 0x42, byte(feedDots))
}

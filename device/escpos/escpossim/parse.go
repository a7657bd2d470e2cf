// Package escpossim is a receipt-printer simulator for tests and demos: a
// writer that captures what a program sends to the printer, and a parser
// that turns an ESC/POS byte stream back into commands (text decoded from
// GB18030, alignment, raster images, native QR data, cuts).
//
// It understands the subset that package escpos emits plus a few common
// commands (ESC !, ESC J, GS V m, CR); anything else is an error naming
// the offset, never a panic.
package escpossim

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Kind is the type of a parsed Command.
type Kind int

// Command kinds.
const (
	Text          Kind = iota // Text: printable bytes decoded from GB18030
	LF                        // line feed
	Init                      // ESC @
	Align                     // ESC a n; N is 0 left, 1 centre, 2 right
	Bold                      // ESC E n; N is 0 or 1
	Size                      // GS ! n; N is the raw n
	PrintMode                 // ESC ! n; N is the raw n
	Feed                      // ESC d n; N lines
	FeedDots                  // ESC J n; N dots
	ChineseOn                 // FS &
	ChineseOff                // FS .
	Raster                    // GS v 0; Image is the picture, N is m
	QRModel                   // GS ( k fn 65; N is n1
	QRModule                  // GS ( k fn 67; N dots
	QRLevel                   // GS ( k fn 69; N is 48..51
	QRStore                   // GS ( k fn 80; Data is the payload
	QRPrint                   // GS ( k fn 81
	Cut                       // GS V; N is m, Feed is n for m 65/66
	StatusRequest             // DLE EOT n; N is n
)

var kindNames = [...]string{"Text", "LF", "Init", "Align", "Bold", "Size", "PrintMode", "Feed", "FeedDots",
	"ChineseOn", "ChineseOff", "Raster", "QRModel", "QRModule", "QRLevel", "QRStore", "QRPrint", "Cut", "StatusRequest"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Command is one parsed printer command.
type Command struct {
	Kind   Kind
	Offset int    // position of its first byte in the stream
	N      int    // the command's numeric parameter (see Kind)
	Feed   int    // Cut: dots fed before a GS V 65/66 cut
	Text   string // Text
	Data   []byte // QRStore
	Image  *image.Gray
}

// String renders c compactly for test failures.
func (c Command) String() string {
	switch c.Kind {
	case Text:
		return fmt.Sprintf("Text(%q)", c.Text)
	case QRStore:
		return fmt.Sprintf("QRStore(%q)", c.Data)
	case Raster:
		return fmt.Sprintf("Raster(%v)", c.Image.Bounds().Size())
	case Cut:
		return fmt.Sprintf("Cut(%d,%d)", c.N, c.Feed)
	case LF, Init, ChineseOn, ChineseOff, QRPrint:
		return c.Kind.String()
	}
	return fmt.Sprintf("%v(%d)", c.Kind, c.N)
}

// MaxRasterBytes bounds one raster image (a 576-dot-wide image 4,000 dots
// tall is 288,000 bytes); larger headers are refused as malformed.
const MaxRasterBytes = 1 << 20

// Parse decodes an ESC/POS stream. On an unknown or truncated command it
// returns the commands before it and an error naming the offset.
func Parse(b []byte) ([]Command, error) {
	var out []Command
	dec := simplifiedchinese.GB18030.NewDecoder()
	i := 0
	need := func(n int) error {
		if len(b)-i < n {
			return fmt.Errorf("escpossim: offset %d: command truncated (%d of %d bytes)", i, len(b)-i, n)
		}
		return nil
	}
	for i < len(b) {
		c := b[i]
		switch {
		case c == '\n':
			out = append(out, Command{Kind: LF, Offset: i})
			i++
			continue
		case c == '\r':
			i++
			continue
		case c >= 0x20 && c != 0x7F:
			j := i
			for j < len(b) && b[j] >= 0x20 && b[j] != 0x7F {
				j++
			}
			s, err := dec.Bytes(b[i:j])
			if err != nil {
				return out, fmt.Errorf("escpossim: offset %d: text: %w", i, err)
			}
			out = append(out, Command{Kind: Text, Offset: i, Text: string(s)})
			i = j
			continue
		}
		if err := need(2); err != nil {
			return out, err
		}
		cmd, n, err := parseCommand(b[i:])
		if err != nil {
			return out, fmt.Errorf("escpossim: offset %d: %w", i, err)
		}
		cmd.Offset = i
		out = append(out, cmd)
		i += n
	}
	return out, nil
}

// parseCommand decodes the control command at the start of b (len ≥ 2)
// and returns it with its length.
func parseCommand(b []byte) (Command, int, error) {
	arg := func(n int) (int, error) {
		if len(b) <= n {
			return 0, fmt.Errorf("command % X truncated", b)
		}
		return int(b[n]), nil
	}
	one := func(k Kind) (Command, int, error) {
		n, err := arg(2)
		return Command{Kind: k, N: n}, 3, err
	}
	switch {
	case b[0] == 0x1B && b[1] == '@':
		return Command{Kind: Init}, 2, nil
	case b[0] == 0x1B && b[1] == 'a':
		c, n, err := one(Align)
		if err == nil && c.N > 2 && (c.N < '0' || c.N > '2') {
			return c, n, fmt.Errorf("ESC a %d: alignment out of range", c.N)
		}
		if c.N >= '0' {
			c.N -= '0'
		}
		return c, n, err
	case b[0] == 0x1B && b[1] == 'E':
		c, n, err := one(Bold)
		c.N &= 1
		return c, n, err
	case b[0] == 0x1B && b[1] == '!':
		return one(PrintMode)
	case b[0] == 0x1B && b[1] == 'd':
		return one(Feed)
	case b[0] == 0x1B && b[1] == 'J':
		return one(FeedDots)
	case b[0] == 0x1D && b[1] == '!':
		return one(Size)
	case b[0] == 0x10 && b[1] == 0x04:
		return one(StatusRequest)
	case b[0] == 0x1C && b[1] == '&':
		return Command{Kind: ChineseOn}, 2, nil
	case b[0] == 0x1C && b[1] == '.':
		return Command{Kind: ChineseOff}, 2, nil
	case b[0] == 0x1D && b[1] == 'V':
		m, err := arg(2)
		if err != nil {
			return Command{}, 0, err
		}
		switch m {
		case 0, 1, '0', '1':
			return Command{Kind: Cut, N: m}, 3, nil
		case 65, 66:
			f, err := arg(3)
			return Command{Kind: Cut, N: m, Feed: f}, 4, err
		}
		return Command{}, 0, fmt.Errorf("GS V %d: unknown cut mode", m)
	case b[0] == 0x1D && b[1] == 'v':
		return parseRaster(b)
	case b[0] == 0x1D && b[1] == '(':
		return parseGSParen(b)
	}
	return Command{}, 0, fmt.Errorf("unknown command % X", b[:2])
}

// parseRaster decodes GS v 0 m xL xH yL yH d1…dk, k = x·y.
func parseRaster(b []byte) (Command, int, error) {
	if len(b) < 8 {
		return Command{}, 0, fmt.Errorf("GS v 0 header truncated")
	}
	if b[2] != '0' || b[3] > 3 && (b[3] < '0' || b[3] > '3') {
		return Command{}, 0, fmt.Errorf("GS v % X: unknown raster command", b[2:4])
	}
	x := int(b[4]) | int(b[5])<<8
	y := int(b[6]) | int(b[7])<<8
	k := x * y
	if k == 0 || k > MaxRasterBytes {
		return Command{}, 0, fmt.Errorf("GS v 0 %d×%d bytes: empty or too large", x, y)
	}
	if len(b)-8 < k {
		return Command{}, 0, fmt.Errorf("GS v 0 %d×%d: data truncated (%d of %d bytes)", x, y, len(b)-8, k)
	}
	img := image.NewGray(image.Rect(0, 0, x*8, y))
	data := b[8 : 8+k]
	for row := range y {
		for col := range x * 8 {
			v := color.Gray{Y: 0xFF}
			if data[row*x+col>>3]&(0x80>>(col&7)) != 0 {
				v.Y = 0
			}
			img.SetGray(col, row, v)
		}
	}
	return Command{Kind: Raster, N: int(b[3]), Image: img}, 8 + k, nil
}

// parseGSParen decodes GS ( k pL pH cn fn … for the QR code (cn 49).
func parseGSParen(b []byte) (Command, int, error) {
	if len(b) < 5 {
		return Command{}, 0, fmt.Errorf("GS ( header truncated")
	}
	if b[2] != 'k' {
		return Command{}, 0, fmt.Errorf("GS ( %c: unsupported function", b[2])
	}
	p := int(b[3]) | int(b[4])<<8
	if p < 2 {
		return Command{}, 0, fmt.Errorf("GS ( k length %d: want at least 2", p)
	}
	if len(b)-5 < p {
		return Command{}, 0, fmt.Errorf("GS ( k: data truncated (%d of %d bytes)", len(b)-5, p)
	}
	body := b[5 : 5+p]
	n := 5 + p
	if body[0] != 49 {
		return Command{}, 0, fmt.Errorf("GS ( k cn %d: only the QR code (49) is supported", body[0])
	}
	param := func(want int) (int, error) {
		if p != want {
			return 0, fmt.Errorf("GS ( k fn %d: length %d, want %d", body[1], p, want)
		}
		return int(body[2]), nil
	}
	switch body[1] {
	case 65:
		v, err := param(4)
		return Command{Kind: QRModel, N: v}, n, err
	case 67:
		v, err := param(3)
		return Command{Kind: QRModule, N: v}, n, err
	case 69:
		v, err := param(3)
		return Command{Kind: QRLevel, N: v}, n, err
	case 80:
		if p < 3 || body[2] != 48 {
			return Command{}, 0, fmt.Errorf("GS ( k fn 80: m must be 48")
		}
		return Command{Kind: QRStore, Data: append([]byte(nil), body[3:]...)}, n, nil
	case 81:
		_, err := param(3)
		return Command{Kind: QRPrint}, n, err
	}
	return Command{}, 0, fmt.Errorf("GS ( k fn %d: unsupported", body[1])
}

// Lines joins the Text commands into printed lines, split at LF. A
// trailing line without LF is included.
func Lines(cmds []Command) []string {
	var lines []string
	var cur strings.Builder
	open := false
	for _, c := range cmds {
		switch c.Kind {
		case Text:
			cur.WriteString(c.Text)
			open = true
		case LF:
			lines = append(lines, cur.String())
			cur.Reset()
			open = false
		}
	}
	if open {
		lines = append(lines, cur.String())
	}
	return lines
}

// Rasters returns the images of the Raster commands, in order.
func Rasters(cmds []Command) []*image.Gray {
	var out []*image.Gray
	for _, c := range cmds {
		if c.Kind == Raster {
			out = append(out, c.Image)
		}
	}
	return out
}

package escpos

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// gbEncode appends the GB18030 bytes of r to dst. ok is false when r
// must be printed as '?': an invalid or replacement character, a control
// character, or a four-byte code when fourByte is false.
func gbEncode(dst []byte, enc transform.Transformer, r rune, fourByte bool) (out []byte, ok bool) {
	switch {
	case r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cs, r):
		return append(dst, '?'), false
	case r < utf8.RuneSelf:
		return append(dst, byte(r)), true
	}
	var src [utf8.UTFMax]byte
	var tmp [8]byte
	n := utf8.EncodeRune(src[:], r)
	enc.Reset()
	m, _, err := enc.Transform(tmp[:], src[:n], true)
	if err != nil || m == 0 || (m == 4 && !fourByte) {
		return append(dst, '?'), false
	}
	return append(dst, tmp[:m]...), true
}

// Text encodes s as GB18030 and appends it without a line feed. '\n'
// becomes LF and '\t' a space; any character the printer cannot be sent
// (other control characters, invalid UTF-8, and four-byte GB18030 codes
// unless Config.FourByte) prints as a visible '?' and is added to
// Replaced, so nothing vanishes silently and no byte of s can form a
// printer command.
func (p *Printer) Text(s string) error {
	if p.err != nil {
		return p.err
	}
	enc := simplifiedchinese.GB18030.NewEncoder()
	bad := 0
	for _, r := range s {
		switch r {
		case '\n':
			p.buf = append(p.buf, '\n')
			continue
		case '\t':
			r = ' '
		}
		var ok bool
		if p.buf, ok = gbEncode(p.buf, enc, r, p.cfg.FourByte); !ok {
			p.replaced = append(p.replaced, r)
			bad++
		}
	}
	if bad > 0 {
		p.cfg.Logger.Warn("receipt text has characters the printer cannot print; printed as '?'", "count", bad)
	}
	return nil
}

// Line appends s and a line feed (LF).
func (p *Printer) Line(s string) error {
	if err := p.Text(s); err != nil {
		return err
	}
	return p.put('\n')
}

// Rule prints a dashed line across the paper at the current width.
func (p *Printer) Rule() error {
	return p.Line(strings.Repeat("-", p.Columns()/max(p.wide, 1)))
}

// Width returns the printed width of s in half-width columns: 1 for
// ASCII, 2 for any character sent as a multi-byte GB code (CJK and
// full-width forms). A replaced character counts 1 (the '?').
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if r < utf8.RuneSelf || r == utf8.RuneError || unicode.IsControl(r) {
		return 1
	}
	return 2
}

// Wrap breaks s into lines of at most cols columns (see Width), never
// splitting a character and preferring to break ASCII text at a space.
// A cols below 2 is treated as 2 so a CJK character always fits.
func Wrap(s string, cols int) []string {
	cols = max(cols, 2)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, wrapLine(para, cols)...)
	}
	return lines
}

func wrapLine(s string, cols int) []string {
	var lines []string
	for Width(s) > cols {
		cut, w, lastSpace := 0, 0, -1
		for i, r := range s {
			rw := runeWidth(r)
			if w+rw > cols {
				cut = i
				break
			}
			if r == ' ' {
				lastSpace = i
			}
			w += rw
		}
		if lastSpace > 0 && cut-lastSpace < cols/2 && cut < len(s) && s[cut] != ' ' {
			cut = lastSpace
		}
		lines = append(lines, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	if s != "" || len(lines) == 0 {
		lines = append(lines, s)
	}
	return lines
}

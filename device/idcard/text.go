package idcard

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"

	credit "github.com/gansu-credit/credit"
)

// TextLen is the size of the card's machine-readable text block.
const TextLen = 256

// typeFlagOff is where the card-type flag (one UTF-16LE character) sits.
const typeFlagOff = 248

// Card-type flags at text offset 248 (§2.4). Anything else is a resident card.
const (
	flagForeign2017 = 'I'
	flagGAT         = 'J'
	flagForeign2023 = 'Y'
)

// span is one field of the text block: a byte offset and a byte length.
type span struct{ off, size int }

// Resident card (and 'J', which has no ethnic group) layout, §2.1.
var (
	resName      = span{0, 30}
	resSex       = span{30, 2}
	resEthnic    = span{32, 4}
	resBirth     = span{36, 16}
	resAddress   = span{52, 70}
	resNumber    = span{122, 36}
	resAuthority = span{158, 30}
	resFrom      = span{188, 16}
	resTo        = span{204, 16}
)

// Foreigner's permanent residence card, 2017 edition ('I').
var (
	iNameEN = span{0, 120}
	iSex    = span{120, 2}
	iNumber = span{122, 30}
	iNameZH = span{158, 30}
	iFrom   = span{188, 16}
	iTo     = span{204, 16}
	iBirth  = span{220, 16}
)

// Foreigner's permanent residence card, 2023 edition ('Y'). The English
// name is split: characters 1-35 at 52, 36-46 at 220.
var (
	yNameZH  = span{0, 30}
	yNameEN1 = span{52, 70}
	yNameEN2 = span{220, 22}
)

// field decodes the UTF-16LE characters of s in b and trims trailing U+0020
// and U+0000 only: internal spaces (foreign names) are kept.
func field(b []byte, s span) string {
	return strings.TrimRight(rawField(b, s), " \x00")
}

func rawField(b []byte, s span) string {
	u := make([]uint16, s.size/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[s.off+2*i:])
	}
	return string(utf16.Decode(u))
}

// kindOf reads the type flag.
func kindOf(b []byte) credit.CardKind {
	switch binary.LittleEndian.Uint16(b[typeFlagOff:]) {
	case flagForeign2017:
		return credit.CardForeign2017
	case flagGAT:
		return credit.CardGAT
	case flagForeign2023:
		return credit.CardForeign2023
	}
	return credit.CardResident
}

// ParseText decodes a 256-byte UTF-16LE text block into the card's fields.
// The type flag at offset 248 sets Kind. It does not validate the number;
// see CheckCard. The caller should zero b afterwards.
func ParseText(b []byte) (credit.IDCard, error) {
	if len(b) != TextLen {
		return credit.IDCard{}, fmt.Errorf("idcard: parse text: %d bytes, want %d: %w", len(b), TextLen, ErrBadFrame)
	}
	c := credit.IDCard{Kind: kindOf(b)}
	switch c.Kind {
	case credit.CardForeign2017:
		c.Name = field(b, iNameZH)
		if c.Name == "" {
			c.Name = field(b, iNameEN)
		}
		c.Sex = field(b, iSex)
		c.Number = field(b, iNumber)
		c.Birth = field(b, iBirth)
		c.ValidFrom = field(b, iFrom)
		c.ValidTo = field(b, iTo)
	case credit.CardForeign2023:
		c.Name = field(b, yNameZH)
		if c.Name == "" {
			if rest := field(b, yNameEN2); rest != "" {
				c.Name = rawField(b, yNameEN1) + rest
			} else {
				c.Name = field(b, yNameEN1)
			}
		}
		c.Sex = field(b, resSex)
		c.Number = field(b, resNumber)
		c.Birth = field(b, resBirth)
		c.ValidFrom = field(b, resFrom)
		c.ValidTo = field(b, resTo)
	default: // resident and 'J' share the layout; 'J' has no ethnic group
		c.Name = field(b, resName)
		c.Sex = field(b, resSex)
		if c.Kind == credit.CardResident {
			c.Ethnic = field(b, resEthnic)
		}
		c.Birth = field(b, resBirth)
		c.Address = field(b, resAddress)
		c.Number = field(b, resNumber)
		c.Authority = field(b, resAuthority)
		c.ValidFrom = field(b, resFrom)
		c.ValidTo = field(b, resTo)
	}
	return c, nil
}

// EncodeText is the inverse of ParseText: it lays out c's fields in a
// 256-byte UTF-16LE block padded with U+0020, as a card would hold them.
// Fields that do not fit, and unknown kinds, are errors. The simulator and
// tests use it.
func EncodeText(c credit.IDCard) ([]byte, error) {
	b := make([]byte, TextLen)
	w := textWriter{b: b}
	w.put(span{0, TextLen}, "", "")
	switch c.Kind {
	case credit.CardResident, "":
		w.put(resEthnic, c.Ethnic, "ethnic")
	case credit.CardGAT:
		w.flag(flagGAT)
	case credit.CardForeign2017:
		w.flag(flagForeign2017)
		if isASCII(c.Name) {
			w.put(iNameEN, c.Name, "name")
		} else {
			w.put(iNameZH, c.Name, "name")
		}
		w.put(iSex, c.Sex, "sex")
		w.put(iNumber, c.Number, "number")
		w.put(iBirth, c.Birth, "birth")
		w.put(iFrom, c.ValidFrom, "valid_from")
		w.put(iTo, c.ValidTo, "valid_to")
		return b, w.err
	case credit.CardForeign2023:
		w.flag(flagForeign2023)
		if isASCII(c.Name) {
			n := utf16.Encode([]rune(c.Name))
			first := min(len(n), yNameEN1.size/2)
			w.put(yNameEN1, string(utf16.Decode(n[:first])), "name")
			w.put(yNameEN2, string(utf16.Decode(n[first:])), "name")
		} else {
			w.put(yNameZH, c.Name, "name")
		}
		w.put(resSex, c.Sex, "sex")
		w.put(resNumber, c.Number, "number")
		w.put(resBirth, c.Birth, "birth")
		w.put(resFrom, c.ValidFrom, "valid_from")
		w.put(resTo, c.ValidTo, "valid_to")
		return b, w.err
	default:
		return nil, fmt.Errorf("idcard: encode text: unknown card kind %q", c.Kind)
	}
	w.put(resName, c.Name, "name")
	w.put(resSex, c.Sex, "sex")
	w.put(resBirth, c.Birth, "birth")
	w.put(resAddress, c.Address, "address")
	w.put(resNumber, c.Number, "number")
	w.put(resAuthority, c.Authority, "authority")
	w.put(resFrom, c.ValidFrom, "valid_from")
	w.put(resTo, c.ValidTo, "valid_to")
	return b, w.err
}

// textWriter writes space-padded UTF-16LE fields, keeping the first error.
type textWriter struct {
	b   []byte
	err error
}

func (w *textWriter) put(s span, v, name string) {
	u := utf16.Encode([]rune(v))
	if 2*len(u) > s.size {
		if w.err == nil {
			w.err = fmt.Errorf("idcard: encode text: %s has %d UTF-16 units, room for %d", name, len(u), s.size/2)
		}
		return
	}
	for i := 0; i < s.size/2; i++ {
		c := uint16(' ')
		if i < len(u) {
			c = u[i]
		}
		binary.LittleEndian.PutUint16(w.b[s.off+2*i:], c)
	}
}

func (w *textWriter) flag(f uint16) { binary.LittleEndian.PutUint16(w.b[typeFlagOff:], f) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

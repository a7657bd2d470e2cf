package idcard

import (
	"encoding/binary"
	"fmt"
)

// PhotoLen is the size of the WLT-encoded photo block.
const PhotoLen = 1024

// textOf returns the text block inside the data of a successful read
// response. For 30 01 the data is u16 text length, u16 photo length, text,
// photo; for 30 10 a u16 fingerprint length follows the photo length and
// the fingerprint block comes last. The lengths are parsed, not assumed.
// The result aliases data; the caller copies it and zeroes data.
func textOf(c Command, data []byte) ([]byte, error) {
	hdr := 4
	if c == CmdReadFull {
		hdr = 6
	}
	if len(data) < hdr {
		return nil, fmt.Errorf("idcard: %s: %d data bytes, header needs %d: %w", c, len(data), hdr, ErrBadFrame)
	}
	text := int(binary.BigEndian.Uint16(data[0:]))
	total := hdr + text + int(binary.BigEndian.Uint16(data[2:]))
	if hdr == 6 {
		total += int(binary.BigEndian.Uint16(data[4:]))
	}
	if text != TextLen {
		return nil, fmt.Errorf("idcard: %s: text block of %d bytes, want %d: %w", c, text, TextLen, ErrBadFrame)
	}
	if total != len(data) {
		return nil, fmt.Errorf("idcard: %s: block lengths add up to %d, frame carries %d: %w", c, total, len(data), ErrBadFrame)
	}
	return data[hdr : hdr+text], nil
}

// ReadData builds the data of a 30 01 read response: the two lengths, the
// text block and the photo block. The simulator and tests use it.
func ReadData(text, photo []byte) []byte {
	d := make([]byte, 0, 4+len(text)+len(photo))
	d = binary.BigEndian.AppendUint16(d, uint16(len(text)))
	d = binary.BigEndian.AppendUint16(d, uint16(len(photo)))
	d = append(d, text...)
	return append(d, photo...)
}

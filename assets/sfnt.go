package assets

// A minimal reader and writer of TrueType (sfnt) files: the table
// directory, the character map (formats 4 and 12), glyph locations and
// composite glyphs — what FontWith needs to copy glyphs from one font into
// another. It reads only the embedded fonts; malformed input is an error,
// never a panic (FuzzParseSFNT).

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

var be = binary.BigEndian

// sfnt is a parsed table directory: each table's bytes, by tag.
type sfnt map[string][]byte

func parseSFNT(b []byte) (sfnt, error) {
	if len(b) < 12 {
		return nil, errors.New("sfnt: too short")
	}
	if v := be.Uint32(b); v != 0x00010000 && v != 0x74727565 { // TrueType outlines only
		return nil, fmt.Errorf("sfnt: version %#x is not TrueType", v)
	}
	n := int(be.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errors.New("sfnt: table directory truncated")
	}
	t := sfnt{}
	for i := range n {
		r := b[12+16*i:]
		off, size := uint64(be.Uint32(r[8:])), uint64(be.Uint32(r[12:]))
		if off+size > uint64(len(b)) {
			return nil, fmt.Errorf("sfnt: table %q out of range", r[:4])
		}
		t[string(r[:4])] = b[off : off+size]
	}
	for _, tag := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp"} {
		if t[tag] == nil {
			return nil, fmt.Errorf("sfnt: no %q table", tag)
		}
	}
	if len(t["head"]) < 54 || len(t["hhea"]) < 36 || len(t["maxp"]) < 6 {
		return nil, errors.New("sfnt: head, hhea or maxp truncated")
	}
	return t, nil
}

func (t sfnt) numGlyphs() int { return int(be.Uint16(t["maxp"][4:])) }

// glyph returns glyph gid's bytes in the glyf table (empty for a glyph
// without outline).
func (t sfnt) glyph(gid int) ([]byte, error) {
	loca, glyf := t["loca"], t["glyf"]
	if gid < 0 || gid >= t.numGlyphs() {
		return nil, fmt.Errorf("sfnt: glyph %d out of range", gid)
	}
	var start, end int
	if be.Uint16(t["head"][50:]) == 0 { // short offsets, in words
		if len(loca) < 2*(gid+2) {
			return nil, errors.New("sfnt: loca truncated")
		}
		start, end = 2*int(be.Uint16(loca[2*gid:])), 2*int(be.Uint16(loca[2*gid+2:]))
	} else {
		if len(loca) < 4*(gid+2) {
			return nil, errors.New("sfnt: loca truncated")
		}
		start, end = int(be.Uint32(loca[4*gid:])), int(be.Uint32(loca[4*gid+4:]))
	}
	if start > end || end > len(glyf) {
		return nil, fmt.Errorf("sfnt: glyph %d out of range", gid)
	}
	return glyf[start:end], nil
}

// metric returns glyph gid's advance width and left side bearing.
func (t sfnt) metric(gid int) (adv, lsb uint16, err error) {
	hmtx := t["hmtx"]
	long := int(be.Uint16(t["hhea"][34:]))
	if long == 0 || len(hmtx) < 4*long {
		return 0, 0, errors.New("sfnt: hmtx truncated")
	}
	if gid < long {
		return be.Uint16(hmtx[4*gid:]), be.Uint16(hmtx[4*gid+2:]), nil
	}
	adv = be.Uint16(hmtx[4*(long-1):])
	if i := 4*long + 2*(gid-long); i+2 <= len(hmtx) {
		lsb = be.Uint16(hmtx[i:])
	}
	return adv, lsb, nil
}

// Composite glyph flags (OpenType glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	haveInstruction = 0x0100
)

// components returns the byte offsets of the component glyph ids in a
// composite glyph (nil for a simple or empty one).
func components(g []byte) ([]int, error) {
	if len(g) < 10 || int16(be.Uint16(g)) >= 0 {
		return nil, nil
	}
	var offs []int
	for p := 10; ; {
		if p+4 > len(g) {
			return nil, errors.New("sfnt: composite glyph truncated")
		}
		flags := be.Uint16(g[p:])
		offs = append(offs, p+2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if p > len(g) {
			return nil, errors.New("sfnt: composite glyph truncated")
		}
		if flags&moreComponents == 0 {
			return offs, nil
		}
	}
}

// unicodeCmap returns the font's Unicode character-map subtable: format
// 12 when there is one, else format 4.
func (t sfnt) unicodeCmap() (sub []byte, format int, err error) {
	c := t["cmap"]
	if len(c) < 4 {
		return nil, 0, errors.New("sfnt: cmap truncated")
	}
	n := int(be.Uint16(c[2:]))
	if len(c) < 4+8*n {
		return nil, 0, errors.New("sfnt: cmap truncated")
	}
	var f4, f12 []byte
	for i := range n {
		r := c[4+8*i:]
		pid, eid, off := be.Uint16(r), be.Uint16(r[2:]), int(be.Uint32(r[4:]))
		if off+4 > len(c) || !(pid == 0 || pid == 3 && (eid == 1 || eid == 10)) {
			continue
		}
		switch be.Uint16(c[off:]) {
		case 4:
			f4 = c[off:]
		case 12:
			f12 = c[off:]
		}
	}
	switch {
	case f12 != nil:
		if len(f12) < 16 {
			return nil, 0, errors.New("sfnt: cmap format 12 truncated")
		}
		if groups := int(be.Uint32(f12[12:])); groups < 0 || len(f12) < 16+12*groups {
			return nil, 0, errors.New("sfnt: cmap format 12 truncated")
		}
		return f12, 12, nil
	case f4 != nil:
		if len(f4) < 14 || len(f4) < 16+8*int(be.Uint16(f4[6:])/2) {
			return nil, 0, errors.New("sfnt: cmap format 4 truncated")
		}
		return f4, 4, nil
	}
	return nil, 0, errors.New("sfnt: no Unicode cmap")
}

// lookup returns the glyph of r, without building the whole map.
func (t sfnt) lookup(r rune) (int, bool, error) {
	sub, format, err := t.unicodeCmap()
	if err != nil {
		return 0, false, err
	}
	gid := 0
	err = cmapEach(sub, format, func(first, last rune) bool { return r >= first && r <= last }, func(c rune, g int) {
		if c == r {
			gid = g
		}
	})
	if err != nil {
		return 0, false, err
	}
	return gid, gid != 0, nil
}

// Characters calls fn for every character the TrueType font b maps to a
// glyph (its Unicode character map, format 12 or 4), without reading any
// glyph.
func Characters(b []byte, fn func(rune)) error {
	t, err := parseSFNT(b)
	if err != nil {
		return err
	}
	sub, format, err := t.unicodeCmap()
	if err != nil {
		return err
	}
	return cmapEach(sub, format, nil, func(r rune, _ int) { fn(r) })
}

// cmap returns the font's whole character → glyph map.
func (t sfnt) cmap() (map[rune]int, error) {
	sub, format, err := t.unicodeCmap()
	if err != nil {
		return nil, err
	}
	m := map[rune]int{}
	if err := cmapEach(sub, format, nil, func(r rune, g int) { m[r] = g }); err != nil {
		return nil, err
	}
	return m, nil
}

// cmapEach calls fn for every mapped character of a format 4 or 12
// subtable in the ranges want accepts (nil: all).
func cmapEach(sub []byte, format int, want func(first, last rune) bool, fn func(rune, int)) error {
	if format == 12 {
		total := 0
		for i := range int(be.Uint32(sub[12:])) {
			g := sub[16+12*i:]
			first, last, gid := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
			if total += int(last-first) + 1; last < first || last > 0x10FFFF || total > 0x110000 {
				return errors.New("sfnt: bad cmap group")
			}
			if want != nil && !want(rune(first), rune(last)) {
				continue
			}
			for r := first; r <= last; r++ {
				if g := gid + r - first; g != 0 { // glyph 0: not mapped
					fn(rune(r), int(g))
				}
			}
		}
		return nil
	}
	segs := int(be.Uint16(sub[6:]) / 2)
	ends, starts := sub[14:], sub[16+2*segs:]
	deltas, ranges := sub[16+4*segs:], sub[16+6*segs:]
	for s := range segs {
		end, start := int(be.Uint16(ends[2*s:])), int(be.Uint16(starts[2*s:]))
		if want != nil && (start > end || !want(rune(start), rune(end))) {
			continue
		}
		delta, ro := int(be.Uint16(deltas[2*s:])), int(be.Uint16(ranges[2*s:]))
		for r := start; r <= end && r != 0xFFFF; r++ {
			gid := 0
			if ro == 0 {
				gid = (r + delta) & 0xFFFF
			} else if p := 16 + 6*segs + 2*s + ro + 2*(r-start); p+2 <= len(sub) {
				if gid = int(be.Uint16(sub[p:])); gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			if gid != 0 {
				fn(rune(r), gid)
			}
		}
	}
	return nil
}

// cmap12 encodes m as a format 12 subtable under the Unicode and Windows
// full-repertoire encodings.
func cmap12(m map[rune]int) []byte {
	runes := make([]rune, 0, len(m))
	for r := range m {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	var groups [][3]uint32
	for _, r := range runes {
		g := uint32(m[r])
		if n := len(groups); n > 0 && groups[n-1][1]+1 == uint32(r) && groups[n-1][2]+uint32(r)-groups[n-1][0] == g {
			groups[n-1][1] = uint32(r)
			continue
		}
		groups = append(groups, [3]uint32{uint32(r), uint32(r), g})
	}
	sub := make([]byte, 16+12*len(groups))
	be.PutUint16(sub, 12)
	be.PutUint32(sub[4:], uint32(len(sub)))
	be.PutUint32(sub[12:], uint32(len(groups)))
	for i, g := range groups {
		be.PutUint32(sub[16+12*i:], g[0])
		be.PutUint32(sub[20+12*i:], g[1])
		be.PutUint32(sub[24+12*i:], g[2])
	}
	out := make([]byte, 4+8*2)
	be.PutUint16(out[2:], 2)
	for i, enc := range [][2]uint16{{0, 4}, {3, 10}} {
		be.PutUint16(out[4+8*i:], enc[0])
		be.PutUint16(out[6+8*i:], enc[1])
		be.PutUint32(out[8+8*i:], uint32(len(out)))
	}
	return append(out, sub...)
}

// write lays the tables out as an sfnt file, tags sorted, each 4-byte
// aligned with its checksum, and head's checksum adjustment set.
func (t sfnt) write() []byte {
	tags := make([]string, 0, len(t))
	for tag := range t {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	n := len(tags)
	out := make([]byte, 12+16*n)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	sr := 1
	for sr*2 <= n {
		sr *= 2
	}
	be.PutUint16(out[6:], uint16(16*sr))
	be.PutUint16(out[8:], uint16(bitsLen(sr)))
	be.PutUint16(out[10:], uint16(16*n-16*sr))
	headAt := -1
	for i, tag := range tags {
		data := t[tag]
		if tag == "head" {
			data = slices.Clone(data)
			be.PutUint32(data[8:], 0)
			headAt = len(out)
		}
		r := out[12+16*i:]
		copy(r, tag)
		be.PutUint32(r[4:], checksum(data))
		be.PutUint32(r[8:], uint32(len(out)))
		be.PutUint32(r[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt >= 0 {
		be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

func bitsLen(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}

// checksum is the sfnt table checksum: the sum of big-endian uint32s, the
// tail padded with zeros.
func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += be.Uint32(w[:])
	}
	return s
}

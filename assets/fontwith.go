package assets

import (
	"fmt"
	"slices"
)

// FontWith returns FontCommon with the glyphs of the given characters
// added from FontRegular: the everyday font plus exactly the rarer
// characters a screen needs (a name with 堃), parsed in hardly more memory
// than FontCommon instead of the ≈ 17 MB of the whole font (issue 7).
// Characters FontCommon maps already, or FontRegular lacks, are skipped.
// The added glyphs keep FontRegular's outlines, composite structure and
// metrics; the font is a new TrueType file (glyph names dropped, character
// map as one format 12 subtable).
func FontWith(extra []rune) ([]byte, error) {
	f, err := fontSources()
	if err != nil {
		return nil, err
	}
	return f.with(extra)
}

// with is FontWith on f: f.common plus the glyphs of extra from f.whole.
func (f *fonts) with(extra []rune) ([]byte, error) {
	var err error
	out := sfnt{}
	for tag, data := range f.common {
		out[tag] = data
	}
	cmap := make(map[rune]int, len(f.commonMap)+len(extra))
	for r, g := range f.commonMap {
		cmap[r] = g
	}
	n := f.common.numGlyphs()
	var glyphs [][]byte     // added glyphs, in order
	var metrics [][2]uint16 // their advance and left side bearing
	added := map[int]int{}  // whole font's glyph id → new id
	var add func(gid, depth int) (int, error)
	add = func(gid, depth int) (int, error) {
		if id, ok := added[gid]; ok {
			return id, nil
		}
		if depth > 8 {
			return 0, fmt.Errorf("font with: glyph %d nests too deep", gid)
		}
		g, err := f.whole.glyph(gid)
		if err != nil {
			return 0, err
		}
		offs, err := components(g)
		if err != nil {
			return 0, err
		}
		if len(offs) > 0 {
			g = slices.Clone(g)
			for _, o := range offs {
				id, err := add(int(be.Uint16(g[o:])), depth+1)
				if err != nil {
					return 0, err
				}
				be.PutUint16(g[o:], uint16(id))
			}
		}
		adv, lsb, err := f.whole.metric(gid)
		if err != nil {
			return 0, err
		}
		id := n + len(glyphs)
		if id >= 0xFFFF { // numGlyphs is 16 bits: the last id is 65,534
			return 0, fmt.Errorf("font with: more than 65,535 glyphs")
		}
		added[gid] = id
		glyphs, metrics = append(glyphs, g), append(metrics, [2]uint16{adv, lsb})
		return id, nil
	}
	for _, r := range extra {
		if _, ok := cmap[r]; ok {
			continue
		}
		gid, ok, err := f.whole.lookup(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		id, err := add(gid, 0)
		if err != nil {
			return nil, err
		}
		cmap[r] = id
	}
	total := n + len(glyphs)

	// glyf and loca (long offsets), hmtx with a full metric for every glyph.
	glyf := make([]byte, 0, len(f.common["glyf"])+64*len(glyphs))
	loca := make([]byte, 4*(total+1))
	hmtx := make([]byte, 4*total)
	for gid := range total {
		var g []byte
		var adv, lsb uint16
		if gid < n {
			if g, err = f.common.glyph(gid); err != nil {
				return nil, err
			}
			if adv, lsb, err = f.common.metric(gid); err != nil {
				return nil, err
			}
		} else {
			g, adv, lsb = glyphs[gid-n], metrics[gid-n][0], metrics[gid-n][1]
		}
		be.PutUint32(loca[4*gid:], uint32(len(glyf)))
		glyf = append(glyf, g...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		be.PutUint16(hmtx[4*gid:], adv)
		be.PutUint16(hmtx[4*gid+2:], lsb)
	}
	be.PutUint32(loca[4*total:], uint32(len(glyf)))
	out["glyf"], out["loca"], out["hmtx"] = glyf, loca, hmtx

	head := slices.Clone(f.common["head"])
	be.PutUint16(head[50:], 1) // long loca offsets
	hhea := slices.Clone(f.common["hhea"])
	be.PutUint16(hhea[34:], uint16(total))
	if adv := maxAdvance(metrics); adv > be.Uint16(hhea[10:]) {
		be.PutUint16(hhea[10:], adv)
	}
	maxp := slices.Clone(f.common["maxp"])
	be.PutUint16(maxp[4:], uint16(total))
	if len(maxp) >= 32 && len(f.whole["maxp"]) >= 32 {
		// The limits (points, contours, component depth…) of both fonts.
		for i := 6; i < 32; i += 2 {
			if w := be.Uint16(f.whole["maxp"][i:]); w > be.Uint16(maxp[i:]) {
				be.PutUint16(maxp[i:], w)
			}
		}
	}
	post := make([]byte, 32) // format 3: no glyph names
	copy(post, f.common["post"])
	be.PutUint32(post, 0x00030000)
	out["head"], out["hhea"], out["maxp"], out["post"] = head, hhea, maxp, post
	out["cmap"] = cmap12(cmap)
	return out.write(), nil
}

func maxAdvance(ms [][2]uint16) uint16 {
	var m uint16
	for _, x := range ms {
		m = max(m, x[0])
	}
	return m
}

// fonts are the two embedded fonts' tables and the everyday font's
// character map.
type fonts struct {
	common, whole sfnt
	commonMap     map[rune]int
}

// fontSources reads them for one FontWith: FontWith runs when a screen
// first needs a rare character, and the map is not worth keeping for the
// next time. The whole font's 34,600 characters are looked up one by one,
// not mapped (≈ 1.5 MB of garbage at the moment the kiosk's memory peaks).
func fontSources() (*fonts, error) {
	var f fonts
	var err error
	if f.common, err = parseSFNT(FontCommon); err != nil {
		return nil, fmt.Errorf("font with: common font: %w", err)
	}
	if f.whole, err = parseSFNT(FontRegular); err != nil {
		return nil, fmt.Errorf("font with: whole font: %w", err)
	}
	if f.commonMap, err = f.common.cmap(); err != nil {
		return nil, fmt.Errorf("font with: common font: %w", err)
	}
	return &f, nil
}

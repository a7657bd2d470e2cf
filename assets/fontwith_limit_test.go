package assets

import (
	"strings"
	"testing"
)

// synthFont is a TrueType font of n empty glyphs (long loca offsets, a
// metric each), mapping cmap's characters.
func synthFont(n int, cmap map[rune]int) sfnt {
	head := make([]byte, 54)
	be.PutUint16(head[50:], 1)
	hhea := make([]byte, 36)
	be.PutUint16(hhea[34:], uint16(n))
	maxp := make([]byte, 32)
	be.PutUint32(maxp, 0x00010000)
	be.PutUint16(maxp[4:], uint16(n))
	hmtx := make([]byte, 4*n)
	for i := range n {
		be.PutUint16(hmtx[4*i:], 500)
	}
	return sfnt{"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx,
		"loca": make([]byte, 4*(n+1)), "glyf": []byte{}, "cmap": cmap12(cmap)}
}

// TestFontWithGlyphLimit: a font holds at most 65,535 glyphs (maxp's
// numGlyphs is 16 bits), so the last glyph id is 65,534. Adding glyphs up
// to that works; one more is an error, not a font whose glyph count wraps
// to a small number. (The embedded fonts are far from it: 14,529 + 49,531.)
func TestFontWithGlyphLimit(t *testing.T) {
	common := synthFont(0xFFFF-2, map[rune]int{'a': 1})
	whole := synthFont(4, map[rune]int{'x': 1, 'y': 2, 'z': 3})
	f := &fonts{common: common, whole: whole, commonMap: map[rune]int{'a': 1}}
	for _, tc := range []struct {
		extra   string
		glyphs  int    // numGlyphs of the font made
		wantErr string // or this error
	}{
		{"x", 0xFFFF - 1, ""},
		{"xy", 0xFFFF, ""},
		{"xyz", 0, "65,535"},
	} {
		b, err := f.with([]rune(tc.extra))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want one naming %s", tc.extra, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.extra, err)
		}
		s, err := parseSFNT(b)
		if err != nil {
			t.Fatalf("%s: %v", tc.extra, err)
		}
		if got := s.numGlyphs(); got != tc.glyphs {
			t.Errorf("%s: %d glyphs, want %d", tc.extra, got, tc.glyphs)
		}
		for _, r := range tc.extra {
			if g, ok, err := s.lookup(r); err != nil || !ok || g >= s.numGlyphs() {
				t.Errorf("%s: %c maps to glyph %d (%v %v) of %d", tc.extra, r, g, ok, err, s.numGlyphs())
			}
		}
	}
}

// TestLookupBadCmap: a character map with a bad group is an error for
// lookup as for cmap, even when the character asked for comes before it
// (FontWith would otherwise copy from a font it cannot read).
func TestLookupBadCmap(t *testing.T) {
	s := synthFont(4, map[rune]int{'x': 1})
	sub := s["cmap"][20:] // the format 12 subtable: one group
	bad := make([]byte, 16+24)
	copy(bad, sub[:28])
	be.PutUint32(bad[4:], uint32(len(bad)))
	be.PutUint32(bad[12:], 2)
	be.PutUint32(bad[28:], 'z') // second group: last < first
	be.PutUint32(bad[32:], 'y')
	s["cmap"] = append(s["cmap"][:20:20], bad...)
	if _, err := s.cmap(); err == nil {
		t.Fatal("cmap reads the bad group: the test proves nothing")
	}
	if g, ok, err := s.lookup('x'); err == nil {
		t.Errorf("lookup('x') = %d %v, no error", g, ok)
	}
}

// TestCmapGlyphZero: a character a format 12 group maps to glyph 0 (the
// missing glyph) is not mapped, as in format 4 and as lookup says (the
// fuzz target checks the two agree).
func TestCmapGlyphZero(t *testing.T) {
	s := synthFont(4, map[rune]int{'w': 0, 'x': 1})
	m, err := s.cmap()
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := m['w']; ok {
		t.Errorf("w is mapped to glyph %d", g)
	}
	if m['x'] != 1 {
		t.Errorf("x maps to %d, want 1", m['x'])
	}
}

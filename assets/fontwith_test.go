package assets

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/go-text/typesetting/font"
)

func parseTTF(t testing.TB, b []byte) *font.Face {
	t.Helper()
	f, err := font.ParseTTF(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("go-text cannot parse the font: %v", err)
	}
	return f
}

// sameGlyph fails unless r is drawn in got with the outline and advance
// it has in want.
func sameGlyph(t *testing.T, got, want *font.Face, r rune) { sameGlyphOf(t, got, want, r, true) }

// sameGlyphOf is sameGlyph; with inked, r must have an outline (some
// characters of the font are blank).
func sameGlyphOf(t *testing.T, got, want *font.Face, r rune, inked bool) {
	t.Helper()
	gg, ok := got.NominalGlyph(r)
	if !ok {
		t.Errorf("%c %U is not mapped", r, r)
		return
	}
	gw, ok := want.NominalGlyph(r)
	if !ok {
		t.Fatalf("%c %U is not in the reference font", r, r)
	}
	if a, b := got.HorizontalAdvance(gg), want.HorizontalAdvance(gw); a != b {
		t.Errorf("%c %U: advance %v, want %v", r, r, a, b)
	}
	og, _ := got.GlyphData(gg).(font.GlyphOutline)
	ow, _ := want.GlyphData(gw).(font.GlyphOutline)
	if inked && len(ow.Segments) == 0 {
		t.Fatalf("%c %U has no outline in the reference font: the comparison proves nothing", r, r)
	}
	if !reflect.DeepEqual(og.Segments, ow.Segments) {
		t.Errorf("%c %U: outline differs from the whole font's (%d segments, want %d)", r, r, len(og.Segments), len(ow.Segments))
	}
}

// TestFontWith: the rare characters asked for are added with the whole
// font's outlines (composites and their components included) and
// advances; the everyday characters keep theirs; characters neither font
// has are skipped.
func TestFontWith(t *testing.T) {
	rare := []rune("堃赟喆镕한")
	b, err := FontWith(append(slices.Clone(rare), 'A', '张', '𠀀'))
	if err != nil {
		t.Fatal(err)
	}
	got, whole, common := parseTTF(t, b), parseTTF(t, FontRegular), parseTTF(t, FontCommon)
	for _, r := range rare {
		if _, ok := common.NominalGlyph(r); ok {
			t.Fatalf("%c is in the everyday font: pick another test character", r)
		}
		sameGlyph(t, got, whole, r)
	}
	for _, r := range "A张甘肃。（①" {
		sameGlyph(t, got, whole, r)
		sameGlyph(t, got, common, r)
	}
	if _, ok := got.NominalGlyph('𠀀'); ok {
		t.Error("a character neither font has is mapped")
	}
	if _, ok := got.NominalGlyph('犇'); ok {
		t.Error("a rare character not asked for is mapped")
	}
	if !slices.Equal(b, mustFontWith(t, append(slices.Clone(rare), 'A', '张', '𠀀'))) {
		t.Error("FontWith is not deterministic")
	}
}

func mustFontWith(t *testing.T, rs []rune) []byte {
	t.Helper()
	b, err := FontWith(rs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFontWithRandom: 300 characters drawn at random from the whole
// font (seeded) come out with the whole font's outlines, and every
// everyday character keeps its own.
func TestFontWithRandom(t *testing.T) {
	whole := parseTTF(t, FontRegular)
	src, err := parseSFNT(FontRegular)
	if err != nil {
		t.Fatal(err)
	}
	m, err := src.cmap()
	if err != nil {
		t.Fatal(err)
	}
	all := make([]rune, 0, len(m))
	for r := range m {
		all = append(all, r)
	}
	slices.Sort(all)
	rng := rand.New(rand.NewPCG(7, 11))
	var pick []rune
	for range 300 {
		pick = append(pick, all[rng.IntN(len(all))])
	}
	got := parseTTF(t, mustFontWith(t, pick))
	inked := 0
	for _, r := range pick {
		sameGlyphOf(t, got, whole, r, false)
		if o, _ := whole.GlyphData(mustGlyph(t, whole, r)).(font.GlyphOutline); len(o.Segments) > 0 {
			inked++
		}
	}
	if inked < 250 {
		t.Errorf("only %d of the 300 characters have outlines", inked)
	}
	common := parseTTF(t, FontCommon)
	cm, err := mustSFNT(t, FontCommon).cmap()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range cm {
		if n%7 == 0 {
			sameGlyphOf(t, got, common, r, false)
		}
		n++
	}
}

func mustGlyph(t *testing.T, f *font.Face, r rune) font.GID {
	t.Helper()
	g, ok := f.NominalGlyph(r)
	if !ok {
		t.Fatalf("%U not mapped", r)
	}
	return g
}

func mustSFNT(t *testing.T, b []byte) sfnt {
	t.Helper()
	s, err := parseSFNT(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFontWithNothing: with no extra character the font maps exactly
// what the everyday font maps.
func TestFontWithNothing(t *testing.T) {
	a, err := mustSFNT(t, mustFontWith(t, nil)).cmap()
	if err != nil {
		t.Fatal(err)
	}
	b, err := mustSFNT(t, FontCommon).cmap()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("FontWith(nil) maps %d characters, the everyday font %d", len(a), len(b))
	}
}

// TestSFNTChecksums: every table's checksum and the file's checksum
// adjustment are what the format asks.
func TestSFNTChecksums(t *testing.T) {
	b := mustFontWith(t, []rune("堃"))
	n := int(be.Uint16(b[4:]))
	for i := range n {
		r := b[12+16*i:]
		tag, sum, off, size := string(r[:4]), be.Uint32(r[4:]), be.Uint32(r[8:]), be.Uint32(r[12:])
		if off%4 != 0 {
			t.Errorf("%s at %d: not 4-byte aligned", tag, off)
		}
		data := slices.Clone(b[off : off+size])
		if tag == "head" {
			be.PutUint32(data[8:], 0)
		}
		if checksum(data) != sum {
			t.Errorf("%s: checksum %#x, directory says %#x", tag, checksum(data), sum)
		}
	}
	if s := checksum(b); s != 0xB1B0AFBA {
		t.Errorf("file checksum %#x, want 0xB1B0AFBA", s)
	}
}

// FuzzParseSFNT: any bytes as a font give an error or a result, never a
// panic, from the directory, character map, glyph and metric readers.
func FuzzParseSFNT(f *testing.F) {
	f.Add(FontCommon[:4096])
	f.Add(mustFontWithF(f))
	f.Add([]byte{0, 1, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSFNT(b)
		if err != nil {
			return
		}
		m, err := s.cmap()
		for r, g := range m { // lookup agrees with the map
			if got, ok, err := s.lookup(r); err != nil || !ok || got != g {
				t.Fatalf("lookup(%U) = %d %v %v, map says %d", r, got, ok, err, g)
			}
			break
		}
		_ = err
		for gid := range min(s.numGlyphs(), 64) {
			if g, err := s.glyph(gid); err == nil {
				_, _ = components(g)
			}
			_, _, _ = s.metric(gid)
		}
	})
}

func mustFontWithF(f *testing.F) []byte {
	b, err := FontWith([]rune("堃"))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// BenchmarkFontWith: building the font for four rare characters, and the
// heap go-text keeps for it once parsed (live-MB), next to the everyday
// and the whole font's.
func BenchmarkFontWith(b *testing.B) {
	var out []byte
	for b.Loop() {
		var err error
		if out, err = FontWith([]rune("堃赟喆镕")); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"with4", out}, {"common", FontCommon}, {"whole", FontRegular}} {
		b.ReportMetric(parsedMB(b, c.data), c.name+"-live-MB")
	}
}

func parsedMB(tb testing.TB, data []byte) float64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f := parseTTF(tb, data)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(f)
	return float64(m1.HeapAlloc-m0.HeapAlloc) / 1e6
}

package report

// fpdf parses the whole character map of a TrueType font every time a
// document adds it (twice: at AddUTF8FontFromBytes and again when it
// subsets the font at Output); for the 20,000-ideograph CJK font that is
// most of a render. fpdf offers no way to share a parsed font between
// documents, so we hand it a copy of the font whose cmap lists only the
// runes the document is expected to use. Every other table, and so every
// glyph id, is unchanged. If the layout then draws a rune outside that
// set, the document is laid out again with the full font: a rune is never
// dropped for speed.

import (
	"encoding/binary"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/image/font/sfnt"

	"github.com/gansu-credit/credit/assets"
)

// ttfTable is one entry of a TrueType table directory.
type ttfTable struct {
	tag              string
	offset, length   uint32
	checksumOriginal uint32
}

var (
	ttfOnce   sync.Once
	ttfTables []ttfTable
	ttfErr    error
)

// fontTables reads the embedded font's table directory once.
func fontTables() ([]ttfTable, error) {
	ttfOnce.Do(func() {
		b := assets.FontRegular
		if len(b) < 12 {
			ttfErr = errors.New("font too short")
			return
		}
		n := int(binary.BigEndian.Uint16(b[4:]))
		if len(b) < 12+16*n {
			ttfErr = errors.New("font table directory truncated")
			return
		}
		for i := range n {
			r := b[12+16*i:]
			t := ttfTable{tag: string(r[:4]), checksumOriginal: binary.BigEndian.Uint32(r[4:]),
				offset: binary.BigEndian.Uint32(r[8:]), length: binary.BigEndian.Uint32(r[12:])}
			if uint64(t.offset)+uint64(t.length) > uint64(len(b)) {
				ttfErr = errors.New("font table out of range")
				return
			}
			ttfTables = append(ttfTables, t)
		}
	})
	return ttfTables, ttfErr
}

// maxSubsetSegments keeps the format 4 subtable under its 64 KiB limit.
const maxSubsetSegments = 6000

// subsetFont returns the embedded font with a cmap limited to want (BMP
// runes the font has) and the set it covers; when that is not possible it
// returns the full font and a nil set (meaning: everything).
func subsetFont(want map[rune]bool) ([]byte, map[rune]bool) {
	tables, err := fontTables()
	f, ferr := reportFont()
	if err != nil || ferr != nil {
		return assets.FontRegular, nil
	}
	var buf sfnt.Buffer
	type pair struct {
		r   rune
		gid uint16
	}
	pairs := make([]pair, 0, len(want))
	covered := make(map[rune]bool, len(want))
	for r := range want {
		if r <= 0 || r >= 0xFFFF {
			continue
		}
		gid, err := f.GlyphIndex(&buf, r)
		if err != nil || gid == 0 {
			continue
		}
		pairs = append(pairs, pair{r, uint16(gid)})
		covered[r] = true
	}
	slices.SortFunc(pairs, func(a, b pair) int { return int(a.r) - int(b.r) })
	// Segments of consecutive runes with consecutive glyph ids share one
	// idDelta.
	type seg struct {
		start, end rune
		delta      uint16
	}
	var segs []seg
	for _, p := range pairs {
		d := p.gid - uint16(p.r)
		if n := len(segs); n > 0 && segs[n-1].end == p.r-1 && segs[n-1].delta == d {
			segs[n-1].end = p.r
			continue
		}
		segs = append(segs, seg{p.r, p.r, d})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	if len(segs) > maxSubsetSegments {
		return assets.FontRegular, nil
	}
	cmap := formatFourCmap(len(segs), func(i int) (uint16, uint16, uint16) {
		return uint16(segs[i].start), uint16(segs[i].end), segs[i].delta
	})
	return rebuildFont(tables, "cmap", cmap), covered
}

// formatFourCmap builds a cmap table with one (3,1) format 4 subtable.
func formatFourCmap(n int, seg func(i int) (start, end, delta uint16)) []byte {
	sub := 16 + 8*n
	b := make([]byte, 12+sub)
	be := binary.BigEndian
	be.PutUint16(b[0:], 0)  // version
	be.PutUint16(b[2:], 1)  // one encoding record
	be.PutUint16(b[4:], 3)  // platform: Windows
	be.PutUint16(b[6:], 1)  // encoding: Unicode BMP
	be.PutUint32(b[8:], 12) // subtable offset
	s := b[12:]
	search, selector := 1, 0
	for search*2 <= n {
		search *= 2
		selector++
	}
	be.PutUint16(s[0:], 4)
	be.PutUint16(s[2:], uint16(sub))
	be.PutUint16(s[4:], 0) // language
	be.PutUint16(s[6:], uint16(2*n))
	be.PutUint16(s[8:], uint16(2*search))
	be.PutUint16(s[10:], uint16(selector))
	be.PutUint16(s[12:], uint16(2*n-2*search))
	ends, starts := s[14:], s[16+2*n:] // reservedPad sits between them
	deltas, ranges := s[16+4*n:], s[16+6*n:]
	for i := range n {
		st, en, d := seg(i)
		be.PutUint16(ends[2*i:], en)
		be.PutUint16(starts[2*i:], st)
		be.PutUint16(deltas[2*i:], d)
		be.PutUint16(ranges[2*i:], 0)
	}
	return b
}

// rebuildFont writes the embedded font with table tag replaced by data,
// tables 4-byte aligned, checksums and head.checkSumAdjustment updated.
func rebuildFont(tables []ttfTable, tag string, data []byte) []byte {
	src := assets.FontRegular
	be := binary.BigEndian
	n := len(tables)
	size := 12 + 16*n
	for _, t := range tables {
		l := int(t.length)
		if t.tag == tag {
			l = len(data)
		}
		size += (l + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	copy(out, src[:12])
	headAt := -1
	var total uint32
	for i, t := range tables {
		body := src[t.offset : t.offset+t.length]
		if t.tag == tag {
			body = data
		}
		off := len(out)
		out = append(out, body...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		if t.tag == "head" && len(body) >= 12 {
			headAt = off
			be.PutUint32(out[off+8:], 0) // checkSumAdjustment is computed over the file with it zeroed
		}
		sum := t.checksumOriginal // unchanged tables keep theirs (head's is defined with the adjustment zeroed)
		if t.tag == tag {
			sum = ttfChecksum(body)
		}
		total += sum
		r := out[12+16*i:]
		copy(r[:4], t.tag)
		be.PutUint32(r[4:], sum)
		be.PutUint32(r[8:], uint32(off))
		be.PutUint32(r[12:], uint32(len(body)))
	}
	if headAt >= 0 {
		// The file's checksum is the directory's plus every table's,
		// since tables are padded to whole words.
		be.PutUint32(out[headAt+8:], 0xB1B0AFBA-(total+ttfChecksum(out[:12+16*n])))
	}
	return out
}

// ttfChecksum sums big-endian uint32 words, the last one zero-padded.
func ttfChecksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:min(i+4, len(b))])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// fontFallbacks counts documents laid out again with the full font.
var fontFallbacks atomic.Int64

// learned holds the runes earlier documents drew (labels, names), so the
// next document's subset includes them without a second layout.
var learned struct {
	sync.Mutex
	runes map[rune]bool
}

// maxLearned bounds the learned set; past it, new runes come only from
// each document's own data.
const maxLearned = 4000

// predictRunes is ASCII, the learned runes and the runes of texts.
func predictRunes(texts ...string) map[rune]bool {
	want := make(map[rune]bool, 512)
	for r := rune(0x20); r < 0x7F; r++ {
		want[r] = true
	}
	learned.Lock()
	for r := range learned.runes {
		want[r] = true
	}
	learned.Unlock()
	for _, s := range texts {
		for _, r := range s {
			want[r] = true
		}
	}
	return want
}

// learn adds the runes a document drew to the learned set.
func learn(seen map[rune]bool) {
	learned.Lock()
	defer learned.Unlock()
	if learned.runes == nil {
		learned.runes = make(map[rune]bool, 1024)
	}
	for r := range seen {
		if len(learned.runes) >= maxLearned {
			return
		}
		learned.runes[r] = true
	}
}

package report

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"github.com/gansu-credit/credit/assets"
)

// TestSubsetFontCmap: the subset font maps exactly the wanted runes the
// font has, to the same glyph ids, and its checksums are right.
func TestSubsetFontCmap(t *testing.T) {
	want := map[rune]bool{'A': true, 'B': true, 'C': true, 'z': true, '王': true, '堃': true, '喆': true, '镕': true, '赟': true,
		'公': true, '共': true, '信': true, '用': true, '〔': true, '（': true, 0x20BB7: true /* 𠮷, outside the BMP */, 0xE000: true /* private use, absent */}
	b, covered := subsetFont(want)
	if covered == nil || len(b) == len(assets.FontRegular) && bytes.Equal(b, assets.FontRegular) {
		t.Fatal("no subset made")
	}
	sub, err := sfnt.Parse(b)
	if err != nil {
		t.Fatalf("subset font does not parse: %v", err)
	}
	full, err := reportFont()
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for r := range want {
		fg, _ := full.GlyphIndex(&buf, r)
		sg, err := sub.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatalf("%U: %v", r, err)
		}
		switch {
		case covered[r] && (sg != fg || sg == 0):
			t.Errorf("%U: subset glyph %d, full %d", r, sg, fg)
		case !covered[r] && sg != 0:
			t.Errorf("%U not covered but maps to %d", r, sg)
		}
	}
	if covered[0x20BB7] || covered[0xE000] || !covered['赟'] {
		t.Errorf("covered set %v", covered)
	}
	for _, r := range []rune{'D', '李', '中'} {
		if g, _ := sub.GlyphIndex(&buf, r); g != 0 {
			t.Errorf("%c not wanted but maps to glyph %d", r, g)
		}
	}
	if sum := ttfChecksum(b); sum != 0xB1B0AFBA {
		t.Errorf("whole-file checksum %#x, want 0xB1B0AFBA", sum)
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	for i := range n {
		r := b[12+16*i:]
		off, l := binary.BigEndian.Uint32(r[8:]), binary.BigEndian.Uint32(r[12:])
		if string(r[:4]) == "head" {
			continue // its checksum is defined with the adjustment zeroed
		}
		if got := ttfChecksum(b[off : off+l]); got != binary.BigEndian.Uint32(r[4:]) {
			t.Errorf("table %s checksum %#x, directory says %#x", r[:4], got, binary.BigEndian.Uint32(r[4:]))
		}
	}
}

// TestRenderSubsetFallback: with nothing learned, the labels are not in
// the predicted set, so the report is laid out again with the full font;
// the next render uses the learned subset. Both print the same text.
func TestRenderSubsetFallback(t *testing.T) {
	needTool(t, "pdftotext")
	learned.Lock()
	saved := learned.runes
	learned.runes = nil
	learned.Unlock()
	t.Cleanup(func() {
		learned.Lock()
		learned.runes = saved
		learned.Unlock()
	})
	r := fixtureReport(t)
	before := fontFallbacks.Load()
	first, err := Render(r, testKey(t, 1), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if fontFallbacks.Load() == before {
		t.Fatal("no fallback although the labels were not predicted")
	}
	mid := fontFallbacks.Load()
	second, err := Render(r, testKey(t, 1), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if fontFallbacks.Load() != mid {
		t.Error("second render fell back although the runes were learned")
	}
	text := func(pdf []byte) string {
		cmd := exec.CommandContext(t.Context(), "pdftotext", "-layout", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	a, b := text(first.PDF), text(second.PDF)
	if a != b {
		t.Errorf("full-font and subset-font renders differ:\n%s\n---\n%s", a, b)
	}
	if !bytes.Contains([]byte(b), []byte("王堃")) || !bytes.Contains([]byte(b), []byte("公共信用信息报告")) {
		t.Errorf("subset render lacks text:\n%s", b)
	}
}

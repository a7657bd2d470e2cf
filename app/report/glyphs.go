package report

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"

	"github.com/gansu-credit/credit/assets"
)

var (
	fontOnce sync.Once
	fontSFNT *sfnt.Font
	fontErr  error
)

// reportFont parses the embedded font once.
func reportFont() (*sfnt.Font, error) {
	fontOnce.Do(func() {
		fontSFNT, fontErr = sfnt.Parse(assets.FontRegular)
		if fontErr != nil {
			fontErr = fmt.Errorf("parse embedded font: %w", fontErr)
		}
	})
	return fontSFNT, fontErr
}

// glyphChecker replaces runes the report font cannot draw with a visible
// "[U+XXXX]" and remembers them, so nothing is silently dropped.
type glyphChecker struct {
	font    *sfnt.Font
	buf     sfnt.Buffer
	known   map[rune]bool
	missing map[rune]bool
	seen    map[rune]bool // runes drawn as they are
}

func newGlyphChecker() (*glyphChecker, error) {
	f, err := reportFont()
	if err != nil {
		return nil, err
	}
	return &glyphChecker{font: f, known: map[rune]bool{}, missing: map[rune]bool{}, seen: map[rune]bool{}}, nil
}

// has reports whether the font has a glyph for r.
func (g *glyphChecker) has(r rune) bool {
	if ok, seen := g.known[r]; seen {
		return ok
	}
	i, err := g.font.GlyphIndex(&g.buf, r)
	ok := err == nil && i != 0
	g.known[r] = ok
	return ok
}

// text returns s ready for the PDF: control characters other than newline
// become spaces, invalid UTF-8 and runes without a glyph become [U+XXXX].
func (g *glyphChecker) text(s string) string {
	var sb strings.Builder
	for i, r := range s {
		switch {
		case r == '\n':
			sb.WriteRune(r)
		case r < 0x20 || r == 0x7F:
			sb.WriteByte(' ')
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			g.missing[utf8.RuneError] = true
			sb.WriteString("[U+FFFD]")
		case r == ' ' || g.has(r):
			sb.WriteRune(r)
			g.seen[r] = true
		default:
			g.missing[r] = true
			fmt.Fprintf(&sb, "[U+%04X]", r)
		}
	}
	return sb.String()
}

// drawnWithin reports whether every rune drawn so far is in set or ASCII.
func (g *glyphChecker) drawnWithin(set map[rune]bool) bool {
	for r := range g.seen {
		if r >= 0x7F && !set[r] {
			return false
		}
	}
	return true
}

// missingRunes lists the runes replaced so far, sorted.
func (g *glyphChecker) missingRunes() []rune {
	out := make([]rune, 0, len(g.missing))
	for r := range g.missing {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

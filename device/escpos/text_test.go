package escpos_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

func TestTextGB18030(t *testing.T) {
	tests := []struct {
		name     string
		cfg      escpos.Config
		in       string
		want     []byte
		replaced []rune
	}{
		{"ascii", escpos.Config{}, "No. 42", []byte("No. 42"), nil},
		{"gb2312", escpos.Config{}, "信用甘肃", []byte{0xD0, 0xC5, 0xD3, 0xC3, 0xB8, 0xCA, 0xCB, 0xE0}, nil},
		{"gbk rare name chars", escpos.Config{}, "堃喆镕赟", []byte{0x88, 0xD2, 0x86, 0xB4, 0xE9, 0x46, 0xDA, 0x53}, nil},
		{"full-width colon", escpos.Config{}, "：", []byte{0xA3, 0xBA}, nil},
		{"four-byte refused", escpos.Config{}, "吉𠮷祥", []byte{0xBC, 0xAA, '?', 0xCF, 0xE9}, []rune{0x20BB7}},
		{"four-byte allowed", escpos.Config{FourByte: true}, "𠮷", []byte{0x95, 0x34, 0xB2, 0x35}, nil},
		{"escape cannot inject a command", escpos.Config{}, "a\x1b@b\x1dV\x00", []byte("a?@b?V?"), []rune{0x1B, 0x1D, 0}},
		{"invalid utf-8", escpos.Config{}, "x\xffy", []byte("x?y"), []rune{0xFFFD}},
		{"newline and tab", escpos.Config{}, "a\tb\nc", []byte("a b\nc"), nil},
		{"euro sign", escpos.Config{}, "€", []byte{0xA2, 0xE3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := escpos.New(&buf, tt.cfg)
			if err := p.Text(tt.in); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), tt.want) {
				t.Errorf("Text(%q) = % X, want % X", tt.in, buf.Bytes(), tt.want)
			}
			if got := p.Replaced(); !slices.Equal(got, tt.replaced) {
				t.Errorf("Replaced() = %q, want %q", got, tt.replaced)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in   string
		cols int
		want []string
	}{
		{"", 32, []string{""}},
		{"short", 32, []string{"short"}},
		{"信用信息异议申请回执", 8, []string{"信用信息", "异议申请", "回执"}},
		{"信用信息异议申请回执", 9, []string{"信用信息", "异议申请", "回执"}},
		{"ab信用", 3, []string{"ab", "信", "用"}},
		{"hello world again", 12, []string{"hello world", "again"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"一\n二", 10, []string{"一", "二"}},
		{"信", 1, []string{"信"}},
	}
	for _, tt := range tests {
		got := escpos.Wrap(tt.in, tt.cols)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.in, tt.cols, got, tt.want)
		}
		for _, l := range got {
			if escpos.Width(l) > max(tt.cols, 2) {
				t.Errorf("Wrap(%q, %d): line %q too wide", tt.in, tt.cols, l)
			}
		}
		if strings.Join(got, "") != strings.ReplaceAll(strings.ReplaceAll(tt.in, "\n", ""), " ", "") &&
			strings.ReplaceAll(strings.Join(got, " "), "  ", " ") != strings.ReplaceAll(tt.in, "\n", " ") {
			t.Errorf("Wrap(%q, %d) lost text: %q", tt.in, tt.cols, got)
		}
	}
}

// FuzzText: whatever the text, the encoded bytes parse back as text and
// line feeds only (no byte of user text can become a printer command),
// and every rune comes back or is counted as replaced.
func FuzzText(f *testing.F) {
	for _, s := range []string{"信用信息异议申请回执", "王𠮷", "a\x1b@", "\x1dV\x42\x00", "\xff\xfe", "€…—“”", "\u0085\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		p := escpos.New(&buf, escpos.Config{})
		if err := p.Text(s); err != nil {
			t.Fatal(err)
		}
		if err := p.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		cmds, err := escpossim.Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("Text(%q) produced unparsable bytes % X: %v", s, buf.Bytes(), err)
		}
		var back strings.Builder
		for _, c := range cmds {
			switch c.Kind {
			case escpossim.Text:
				back.WriteString(c.Text)
			case escpossim.LF:
				back.WriteByte('\n')
			default:
				t.Fatalf("Text(%q) produced a %v command", s, c)
			}
		}
		got := []rune(back.String())
		want := []rune(strings.ReplaceAll(s, "\t", " "))
		if len(got) != len(want) {
			t.Fatalf("Text(%q): %d runes back, want %d (%q)", s, len(got), len(want), string(got))
		}
		q := 0
		for i := range got {
			if got[i] != want[i] {
				if got[i] != '?' {
					t.Fatalf("Text(%q): rune %d came back as %q", s, i, got[i])
				}
				q++
			}
		}
		if q > len(p.Replaced()) {
			t.Fatalf("Text(%q): %d runes changed, %d reported", s, q, len(p.Replaced()))
		}
	})
}

package escpos_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

// FuzzReceipt: any title, label, value and footer lays out without
// error, parses back, and no printed line is wider than the paper.
func FuzzReceipt(f *testing.F) {
	f.Add("信用信息异议申请回执", "申请编号", "YY-620102-20260115-0042", "扫码查询", true)
	f.Add("", "一个很长很长很长很长很长很长很长很长的标签", "值", "", false)
	f.Add("a\x1b@", "\t", "x\ny\n\nz", "\xff", true)
	f.Add(strings.Repeat("信", 40), strings.Repeat("A", 70), strings.Repeat("王𠮷 ", 30), strings.Repeat("b", 100), false)
	f.Fuzz(func(t *testing.T, title, label, value, footer string, wide bool) {
		cfg, cols := escpos.Config{Width: escpos.Paper58}, 32
		if wide {
			cfg, cols = escpos.Config{Width: escpos.Paper80}, 48
		}
		var buf bytes.Buffer
		p := escpos.New(&buf, cfg)
		r := escpos.Receipt{Title: title, Lines: []escpos.Line{{Label: label, Value: value}}, Footer: []string{footer}}
		if err := p.Receipt(r); err != nil {
			t.Fatal(err)
		}
		if err := p.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		cmds, err := escpossim.Parse(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range escpossim.Lines(cmds) {
			if w := escpos.Width(l); w > cols {
				t.Fatalf("line %q is %d columns, paper has %d", l, w, cols)
			}
		}
		if last := cmds[len(cmds)-1]; last.Kind != escpossim.Cut {
			t.Fatalf("last command %v", last)
		}
	})
}

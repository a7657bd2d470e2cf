package escpos_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

func TestGoldenReceipt(t *testing.T) {
	tests := []struct {
		name string
		cfg  escpos.Config
	}{
		{"receipt58-raster.hex", escpos.Config{Width: escpos.Paper58}},
		{"receipt80-native.hex", escpos.Config{Width: escpos.Paper80, NativeQR: true, Chinese: escpos.ChineseOn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := escpos.New(&buf, tt.cfg)
			if err := p.Receipt(sampleReceipt()); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, buf.Bytes())
		})
	}
}

// TestGoldenCommands pins the exact bytes of each command on the sample
// receipt's path: init, centred bold title, lines, feed and cut.
func TestGoldenCommands(t *testing.T) {
	var buf bytes.Buffer
	p := escpos.New(&buf, escpos.Config{})
	p.Init()
	p.Align(escpos.Center)
	p.Bold(true)
	p.Size(2, 2)
	p.Line("信用信息异议申请回执")
	p.Size(1, 1)
	p.Bold(false)
	p.Align(escpos.Left)
	p.Line("No. 42")
	p.Feed(3)
	p.Cut(0)
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []byte{0x1B, 0x40, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11,
		0xD0, 0xC5, 0xD3, 0xC3, 0xD0, 0xC5, 0xCF, 0xA2, 0xD2, 0xEC, 0xD2, 0xE9, 0xC9, 0xEA, 0xC7, 0xEB, 0xBB, 0xD8, 0xD6, 0xB4, 0x0A,
		0x1D, 0x21, 0x00, 0x1B, 0x45, 0x00, 0x1B, 0x61, 0x00, 'N', 'o', '.', ' ', '4', '2', 0x0A,
		0x1B, 0x64, 0x03, 0x1D, 0x56, 0x42, 0x00}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got  % X\nwant % X", buf.Bytes(), want)
	}
}

// TestReceiptParsesBack checks the receipt's content through the
// simulator: the title centred and bold, the wrapped lines within the
// paper's columns, the footer, one QR and a final partial cut.
func TestReceiptParsesBack(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cfg    escpos.Config
		cols   int
		native bool
	}{
		{"58mm", escpos.Config{Width: escpos.Paper58}, 32, false},
		{"80mm", escpos.Config{Width: escpos.Paper80}, 48, false},
		{"80mm-native", escpos.Config{Width: escpos.Paper80, NativeQR: true}, 48, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sim := escpossim.New()
			p := escpos.New(sim, tt.cfg)
			r := sampleReceipt()
			if err := p.Receipt(r); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			cmds, err := sim.Commands()
			if err != nil {
				t.Fatal(err)
			}
			lines := escpossim.Lines(cmds)
			if lines[0] != r.Title {
				t.Errorf("first line %q, want the title", lines[0])
			}
			for _, l := range lines {
				if w := escpos.Width(l); w > tt.cols {
					t.Errorf("line %q is %d columns, paper has %d", l, w, tt.cols)
				}
			}
			if !slices.Contains(lines, r.Footer[0]) {
				t.Errorf("footer %q missing from %q", r.Footer[0], lines)
			}
			joined := ""
			for _, l := range lines {
				joined += l
			}
			for _, want := range []string{"行政处罚", "318号", "YY-620102-20260115-0042"} {
				if !bytes.Contains([]byte(joined), []byte(want)) {
					t.Errorf("%q missing from %q", want, lines)
				}
			}
			if cmds[0].Kind != escpossim.Init {
				t.Errorf("first command %v, want Init", cmds[0])
			}
			last := cmds[len(cmds)-1]
			if last.Kind != escpossim.Cut || last.N != 66 {
				t.Errorf("last command %v, want a partial feed-and-cut", last)
			}
			var stores, rasters int
			for _, c := range cmds {
				switch c.Kind {
				case escpossim.QRStore:
					stores++
					if string(c.Data) != sampleCR1 {
						t.Errorf("native QR data %q", c.Data)
					}
				case escpossim.Raster:
					rasters++
				}
			}
			if tt.native && (stores != 1 || rasters != 0) || !tt.native && (stores != 0 || rasters != 1) {
				t.Errorf("native=%v: %d QR stores, %d rasters", tt.native, stores, rasters)
			}
		})
	}
}

package escpossim_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string // commands, space-separated
	}{
		{"init text lf", []byte("\x1b@abc\n"), `Init Text("abc") LF`},
		{"gb18030", []byte{0xD0, 0xC5, 0xD3, 0xC3, '\r', '\n'}, `Text("信用") LF`},
		{"ascii align", []byte("\x1ba1\x1ba\x02"), `Align(1) Align(2)`},
		{"cut modes", []byte("\x1dV\x00\x1dV1\x1dVB\x05"), `Cut(0,0) Cut(49,0) Cut(66,5)`},
		{"chinese", []byte("\x1c&\x1c."), `ChineseOn ChineseOff`},
		{"raster", []byte{0x1D, 0x76, 0x30, 0, 1, 0, 2, 0, 0x80, 0x01}, `Raster((8,2))`},
		{"qr", []byte{0x1D, 0x28, 0x6B, 5, 0, 0x31, 0x50, 0x30, 'H', 'I'}, `QRStore("HI")`},
		{"mode and dots", []byte("\x1b!\x08\x1bJ\x10"), `PrintMode(8) FeedDots(16)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds, err := escpossim.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cmds {
				got = append(got, c.String())
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
}

func TestParseRasterPixels(t *testing.T) {
	cmds, err := escpossim.Parse([]byte{0x1D, 0x76, 0x30, 0, 1, 0, 2, 0, 0x81, 0x40})
	if err != nil {
		t.Fatal(err)
	}
	img := cmds[0].Image
	for _, tt := range []struct{ x, y, v int }{{0, 0, 0}, {7, 0, 0}, {1, 0, 255}, {1, 1, 0}, {0, 1, 255}} {
		if got := int(img.GrayAt(tt.x, tt.y).Y); got != tt.v {
			t.Errorf("pixel (%d,%d) = %d, want %d", tt.x, tt.y, got, tt.v)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"unknown", []byte("ok\x1bZ"), "offset 2: unknown command"},
		{"truncated esc", []byte("\x1b"), "truncated"},
		{"truncated arg", []byte("\x1ba"), "truncated"},
		{"raster short", []byte{0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 1}, "data truncated"},
		{"raster empty", []byte{0x1D, 0x76, 0x30, 0, 0, 0, 2, 0}, "empty or too large"},
		{"raster huge", []byte{0x1D, 0x76, 0x30, 0, 0xFF, 0xFF, 0xFF, 0xFF}, "empty or too large"},
		{"qr short", []byte{0x1D, 0x28, 0x6B, 9, 0, 0x31, 0x50, 0x30}, "truncated"},
		{"qr other symbol", []byte{0x1D, 0x28, 0x6B, 3, 0, 0x30, 0x43, 4}, "only the QR code"},
		{"qr bad length", []byte{0x1D, 0x28, 0x6B, 4, 0, 0x31, 0x43, 4, 4}, "length 4, want 3"},
		{"bad align", []byte("\x1ba\x07"), "alignment out of range"},
		{"bad cut", []byte("\x1dV\x09"), "unknown cut mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := escpossim.Parse(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Commands before the bad one are kept.
	cmds, _ := escpossim.Parse([]byte("\x1b@hi\n\x1bZ"))
	if len(cmds) != 3 {
		t.Errorf("got %v, want the 3 commands before the error", cmds)
	}
}

func TestSim(t *testing.T) {
	s := escpossim.New()
	if _, err := s.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	s.FailAfter(2)
	n, err := s.Write([]byte("defg"))
	if n != 2 || err != escpossim.ErrClosed {
		t.Errorf("Write after budget = %d, %v", n, err)
	}
	if !bytes.Equal(s.Bytes(), []byte("abcde")) {
		t.Errorf("captured %q", s.Bytes())
	}
	if _, err := s.Write([]byte("x")); err != escpossim.ErrClosed {
		t.Errorf("write after failure: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range [][]byte{
		[]byte("\x1b@\x1ba\x01\x1bE\x01\x1d!\x11信用\n\x1dVB\x00"),
		{0x1D, 0x76, 0x30, 0, 1, 0, 2, 0, 0x81, 0x40},
		{0x1D, 0x28, 0x6B, 5, 0, 0x31, 0x50, 0x30, 'H', 'I'},
		{0x1D, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0},
		{0x1D, 0x28, 0x6B, 0, 0},
		{0x1D, 0x76, 0x30, 0, 0xFF, 0xFF, 0xFF, 0xFF},
		{0xD0, 0xC5, 0x95, 0x34, 0xB2, 0x35, 0x81},
		[]byte("\x1c&\x1c.\x1bd\x03\x1bJ\x10\x1b!\x00\r"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cmds, err := escpossim.Parse(b)
		end := 0
		for _, c := range cmds {
			if c.Offset < end || c.Offset >= len(b) {
				t.Fatalf("command %v at offset %d out of order (after %d, len %d)", c, c.Offset, end, len(b))
			}
			end = c.Offset
			_ = c.String()
		}
		_ = escpossim.Lines(cmds)
		_ = err
	})
}

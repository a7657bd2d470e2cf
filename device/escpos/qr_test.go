package escpos_test

import (
	"bytes"
	"errors"
	"image"
	"io"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

// longCR1 is a report-sized QR text (366 characters, version 14 at Q).
var longCR1 = "CR1:" + strings.Repeat("6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3D", 11)[:362]

// TestRasterQRDecodesBack takes the GS v 0 image from the captured stream
// and decodes it with gozxing back to the payload, checking the size
// (4 dots per module including the quiet zone) and the centring.
func TestRasterQRDecodesBack(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int
		data  string
	}{
		{"58mm-short", escpos.Paper58, sampleCR1},
		{"58mm-report", escpos.Paper58, longCR1},
		{"80mm-report", escpos.Paper80, longCR1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sim := escpossim.New()
			p := escpos.New(sim, escpos.Config{Width: tt.width})
			if err := p.QR(tt.data); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			cmds, err := sim.Commands()
			if err != nil {
				t.Fatal(err)
			}
			imgs := escpossim.Rasters(cmds)
			if len(imgs) != 1 {
				t.Fatalf("%d raster images, want 1: %v", len(imgs), cmds)
			}
			img := imgs[0]
			q, err := qrcode.New(tt.data, qrcode.High)
			if err != nil {
				t.Fatal(err)
			}
			modules := len(q.Bitmap())
			if got := img.Bounds().Dx(); got != tt.width {
				t.Errorf("raster is %d dots wide, want the paper's %d", got, tt.width)
			}
			if got := img.Bounds().Dy(); got != modules*4 {
				t.Errorf("raster is %d dots tall, want %d modules × 4", got, modules)
			}
			// The first dark dot sits after the quiet zone, centred.
			left := (tt.width - modules*4) / 2
			firstDark := -1
			for x := 0; x < img.Bounds().Dx() && firstDark < 0; x++ {
				if img.GrayAt(x, 4*4).Y == 0 {
					firstDark = x
				}
			}
			if want := left + 4*4; firstDark != want {
				t.Errorf("first dark dot of row 16 at x=%d, want %d (centred, quiet zone kept)", firstDark, want)
			}
			got, err := decodeQR(img)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.data {
				t.Errorf("decoded %q, want %q", got, tt.data)
			}
		})
	}
}

// decodeQR reads the QR in img with gozxing, as a phone or a verifier's
// scanner would.
func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

func TestQRTooWideIsRefused(t *testing.T) {
	data := "CR1:" + strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20) // v19+ at Q
	var buf bytes.Buffer
	p := escpos.New(&buf, escpos.Config{Width: escpos.Paper58})
	p.Init()
	before := len(p.Buffered())
	err := p.QR(data)
	if credit.ErrorCode(err) != credit.EINVALID || !strings.Contains(credit.ErrorMessage(err), "二维码过大") {
		t.Fatalf("err = %v, want EINVALID 二维码过大", err)
	}
	if len(p.Buffered()) != before {
		t.Errorf("a refused QR appended %d bytes", len(p.Buffered())-before)
	}
	if err2 := p.Line("after"); !errors.Is(err2, err) || p.Err() != err {
		t.Errorf("the refusal did not stick: %v", p.Err())
	}
	// The same symbol at 2 dots per module fits.
	p2 := escpos.New(&buf, escpos.Config{Width: escpos.Paper58, ModuleDots: 2})
	if err := p2.QR(data); err != nil {
		t.Errorf("2 dots per module: %v", err)
	}
}

// TestNativeQRBytes pins GS ( k for data lengths 255, 256 and 600
// (reports.md §7.5 item 17): pL + 256·pH = k + 3.
func TestNativeQRBytes(t *testing.T) {
	head := []byte{
		0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // model 2
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x03, // 3-dot modules
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x32, // level Q
	}
	tail := []byte{0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30}
	for _, tt := range []struct {
		k      int
		pL, pH byte
	}{
		{255, 0x02, 0x01}, // 258
		{256, 0x03, 0x01}, // 259
		{600, 0x5B, 0x02}, // 603
		{1, 0x04, 0x00},
		{1500, 0xDF, 0x05}, // 1503
	} {
		data := strings.Repeat("A", tt.k)
		var buf bytes.Buffer
		p := escpos.New(&buf, escpos.Config{Width: escpos.Paper80, ModuleDots: 3})
		if err := p.QRNative(data); err != nil {
			t.Fatal(err)
		}
		if err := p.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := append(append([]byte{}, head...), 0x1D, 0x28, 0x6B, tt.pL, tt.pH, 0x31, 0x50, 0x30)
		want = append(append(want, data...), tail...)
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("k=%d: got % X…, want % X…", tt.k, buf.Bytes()[:36], want[:36])
		}
		cmds, err := escpossim.Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("k=%d: %v", tt.k, err)
		}
		if len(cmds) != 5 || cmds[3].Kind != escpossim.QRStore || string(cmds[3].Data) != data {
			t.Errorf("k=%d: parsed %v", tt.k, cmds)
		}
	}
	for _, tt := range []struct {
		k    int
		cfg  escpos.Config
		code string
	}{
		{0, escpos.Config{}, credit.EINTERNAL},
		{7090, escpos.Config{Width: escpos.Paper80, ModuleDots: 1}, credit.EINTERNAL},
		{3392, escpos.Config{Width: escpos.Paper80, ModuleDots: 1}, credit.EINTERNAL}, // beyond v40 at Q
		{600, escpos.Config{Width: escpos.Paper58}, credit.EINVALID},                  // v19: 101 modules × 4 > 384
	} {
		p := escpos.New(&bytes.Buffer{}, tt.cfg)
		err := p.QRNative(strings.Repeat("A", tt.k))
		if err == nil || credit.ErrorCode(err) != tt.code || len(p.Buffered()) != 0 {
			t.Errorf("k=%d: err %v (code %q, want %q), %d bytes", tt.k, err, credit.ErrorCode(err), tt.code, len(p.Buffered()))
		}
	}
}

// TestNativeQRCentred checks that QR with NativeQR centres the symbol and
// restores the alignment.
func TestNativeQRCentred(t *testing.T) {
	sim := escpossim.New()
	p := escpos.New(sim, escpos.Config{NativeQR: true, ModuleDots: 6})
	p.Align(escpos.Right)
	p.QR("HELLO")
	if err := p.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	cmds, err := sim.Commands()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range cmds {
		kinds = append(kinds, c.String())
	}
	want := "Align(2) Align(1) QRModel(50) QRModule(6) QRLevel(50) QRStore(\"HELLO\") QRPrint Align(2)"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestQRBitmap(t *testing.T) {
	q, err := qrcode.New(sampleCR1, qrcode.High)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	pa, pb := escpos.New(&a, escpos.Config{}), escpos.New(&b, escpos.Config{})
	if err := pa.QR(sampleCR1); err != nil {
		t.Fatal(err)
	}
	if err := pb.QRBitmap(q.Bitmap()); err != nil {
		t.Fatal(err)
	}
	pa.Flush(t.Context())
	pb.Flush(t.Context())
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("QRBitmap of the same symbol differs from QR")
	}
	for name, bm := range map[string][][]bool{
		"empty":  nil,
		"ragged": {{true, false}, {true}},
	} {
		p := escpos.New(io.Discard, escpos.Config{})
		if err := p.QRBitmap(bm); err == nil || len(p.Buffered()) != 0 {
			t.Errorf("%s bitmap: err %v, %d bytes", name, err, len(p.Buffered()))
		}
	}
}

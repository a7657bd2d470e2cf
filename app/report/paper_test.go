package report

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPaperRoundTripDamaged prints a report for a holder whose name has
// the rare characters 堃 喆 镕 赟, rasterises page 1 at 300 dpi (as a
// scanner or a photo of the paper would), damages the printed QR within
// what error correction level Q recovers, and still verifies it; the
// name is in the PDF's text, not replaced by a fallback.
func TestPaperRoundTripDamaged(t *testing.T) {
	if testing.Short() {
		t.Skip("rasterises a page at 300 dpi; skipped in -short")
	}
	needTool(t, "pdftoppm")
	needTool(t, "pdftotext")
	priv := testKey(t, 3)
	r := fixtureReport(t)
	r.Subject.Name = "堃喆镕赟"
	out, err := Render(r, priv, 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MissingGlyphs) != 0 {
		t.Fatalf("the font lacks %q", out.MissingGlyphs)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	txt, err := exec.CommandContext(t.Context(), "pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(txt), "堃喆镕赟") {
		t.Errorf("the rare-character name is not in the PDF's text")
	}
	page, err := RasterizePDFPage1(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}

	// The symbol's place on the page (pdf.go qr), in 300-dpi pixels.
	px := func(mm float64) int { return int(mm / 25.4 * 300) }
	x0, y0, side := px(pageW-margin-out.QRSizeMM), px(margin), px(out.QRSizeMM)
	quiet := px(QuietZone * ModuleMM)
	data := side - 2*quiet // the modules without the quiet zone
	cx, cy := x0+side/2, y0+side/2
	keys := keySetOf("城关区", priv)
	// The damage must land on the symbol: its modules are about half
	// dark, its quiet zone white.
	if d := darkShare(page, image.Rect(x0+quiet, y0+quiet, x0+side-quiet, y0+side-quiet)); d < 0.3 || d > 0.7 {
		t.Fatalf("no QR where the layout puts it: %.0f%% dark", d*100)
	}
	if d := darkShare(page, image.Rect(x0+2, y0+2, x0+side-2, y0+quiet-4)); d != 0 {
		t.Fatalf("the quiet zone above the symbol is %.1f%% dark", d*100)
	}
	blot := func(frac1000 int) func(img draw.Image) {
		return func(img draw.Image) {
			b := data * frac1000 / 1000
			draw.Draw(img, image.Rect(cx-b/2, cy-b/2, cx+b/2, cy+b/2), image.NewUniform(color.White), image.Point{}, draw.Src)
		}
	}
	tests := []struct {
		name   string
		damage func(img draw.Image)
	}{
		{"white blot over 6% of the centre", blot(245)}, // 0.245² ≈ 6%
		{"ink stain over 5% off-centre", func(img draw.Image) {
			b := data * 22 / 100 // 0.22² ≈ 5%
			x, y := cx+data/8, cy-data/8
			draw.Draw(img, image.Rect(x-b/2, y-b/2, x+b/2, y+b/2), image.NewUniform(color.Black), image.Point{}, draw.Src)
		}},
		{"fold line across the symbol", func(img draw.Image) {
			draw.Draw(img, image.Rect(x0, cy-2, x0+side, cy+2), image.NewUniform(color.Gray{Y: 150}), image.Point{}, draw.Src)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Framed as a phone camera would: the symbol and 10 mm around.
			frame := image.Rect(x0-px(10), y0-px(10), x0+side+px(10), y0+side+px(10)).Intersect(page.Bounds())
			img := image.NewRGBA(frame)
			draw.Draw(img, frame, page, frame.Min, draw.Src)
			tt.damage(img)
			text, err := DecodeQR(img)
			if err != nil {
				t.Fatalf("damaged page does not decode: %v", err)
			}
			res := Verify(text, keys, issued.Add(time.Hour))
			if res.Status != StatusValid || res.Claims.SubjectName != "堃喆镕赟" {
				t.Fatalf("Verify = %s (%s)", res.Status, res.Detail)
			}
		})
	}
}

// darkShare is the share of pixels in r darker than mid grey.
func darkShare(img image.Image, r image.Rectangle) float64 {
	dark, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128 {
				dark++
			}
			all++
		}
	}
	return float64(dark) / float64(max(all, 1))
}

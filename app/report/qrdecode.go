package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os/exec"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// DecodeQR finds and decodes one QR code in img and returns its text.
//
// gozxing's finder-pattern detector misreads a few percent of perfectly
// clean symbols (the module count comes out wrong), so one attempt is not
// enough for a verifier people rely on. DecodeQR tries, in order: the
// whole image; the whole image as a pure barcode (a clean scan or PNG);
// the image downscaled 2× and 3× (other pixel counts per module give the
// detector other estimates); and each quarter of the image, where a report
// page keeps its QR, both as found and as a pure barcode after trimming
// the white margin. The first decode wins.
func DecodeQR(img image.Image) (string, error) {
	var firstErr error
	try := func(im image.Image, pure bool) (string, bool) {
		text, err := decodeOnce(im, pure)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return "", false
		}
		return text, true
	}
	if text, ok := try(img, false); ok {
		return text, nil
	}
	if text, ok := try(img, true); ok {
		return text, nil
	}
	for _, k := range []int{2, 3} {
		if small := downscale(img, k); small != nil {
			if text, ok := try(small, false); ok {
				return text, nil
			}
		}
	}
	for _, q := range quarters(img.Bounds()) {
		part := crop(img, q)
		if text, ok := try(part, false); ok {
			return text, nil
		}
		if trimmed := trimWhite(part); trimmed != nil {
			if text, ok := try(trimmed, true); ok {
				return text, nil
			}
		}
	}
	return "", fmt.Errorf("decode QR: no readable QR code found: %w", firstErr)
}

// decodeOnce runs the gozxing QR reader once.
func decodeOnce(img image.Image, pure bool) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	if pure {
		hints = map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// ErrNoPdftoppm means poppler-utils' pdftoppm is not installed.
var ErrNoPdftoppm = errors.New("pdftoppm not found: install poppler-utils to read QR codes from PDF files")

// RasterizePDFPage1 renders page 1 of the PDF at path at 300 dpi with
// poppler's pdftoppm and returns the image.
func RasterizePDFPage1(ctx context.Context, path string) (image.Image, error) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoPdftoppm
	}
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile", "--", path)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("rasterise %s: pdftoppm: %w: %s", path, err, bytes.TrimSpace(errb.Bytes()))
	}
	img, err := png.Decode(&out)
	if err != nil {
		return nil, fmt.Errorf("rasterise %s: read pdftoppm output: %w", path, err)
	}
	return img, nil
}

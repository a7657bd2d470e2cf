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
func DecodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("decode QR: %w", err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", fmt.Errorf("decode QR: no readable QR code found: %w", err)
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

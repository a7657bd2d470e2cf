package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // scans and photos of printed codes
	_ "image/jpeg" // scans and photos of printed codes
	_ "image/png"  // scans and photos of printed codes
	"os"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// MaxVerifyFileBytes bounds a file opened to check the code printed on it.
const MaxVerifyFileBytes = 20 << 20

// CanVerify reports whether the office has keys (the synced trust list,
// or the office's own key) to check printed codes against.
func (o *Office) CanVerify() bool { return o.printing != nil && o.printing.CanVerify() }

func errNoKeys() error {
	return credit.Errorf(credit.EUNAVAILABLE, "本机没有核验密钥（信任列表尚未同步），无法核验。", "This computer has no verification keys (no trust list synced yet), so nothing can be checked.")
}

// VerifyCode checks the CR1: code of a printed report or receipt, typed
// or pasted, against the trusted keys, offline (Service.VerifyText).
func (o *Office) VerifyCode(ctx context.Context, cs *ClerkSession, text string) (report.Result, error) {
	if err := o.active(cs); err != nil {
		return report.Result{}, err
	}
	if !o.CanVerify() {
		return report.Result{}, errNoKeys()
	}
	res := o.printing.VerifyText(text)
	o.log.InfoContext(ctx, "printed code checked", logKeyClerk, cs.Clerk.ID, "status", string(res.Status))
	return res, nil
}

// VerifyFile reads the QR code on a scanned or photographed page (PNG,
// JPEG, GIF) or on page 1 of a PDF (rendered with poppler's pdftoppm)
// and checks it as VerifyCode does. A file without a readable code is
// EINVALID; a PDF where pdftoppm is missing EUNAVAILABLE.
func (o *Office) VerifyFile(ctx context.Context, cs *ClerkSession, data []byte) (report.Result, error) {
	if err := o.active(cs); err != nil {
		return report.Result{}, err
	}
	if !o.CanVerify() {
		return report.Result{}, errNoKeys()
	}
	if len(data) > MaxVerifyFileBytes {
		return report.Result{}, credit.Errorf(credit.EINVALID, "文件过大（超过 %d MB）。", "The file is too large (over %d MB).", MaxVerifyFileBytes>>20)
	}
	img, err := decodePage(ctx, data)
	if err != nil {
		if credit.ErrorCode(err) == credit.EINTERNAL {
			o.log.WarnContext(ctx, "verify file: read page", logKeyErr, err)
			return report.Result{}, fmt.Errorf("%w: %w", errNoCode(), err)
		}
		return report.Result{}, err
	}
	text, err := report.DecodeQR(img)
	if err != nil {
		o.log.InfoContext(ctx, "verify file: no QR code found", logKeyErr, err)
		return report.Result{}, fmt.Errorf("%w: %w", errNoCode(), err)
	}
	return o.VerifyCode(ctx, cs, text)
}

func errNoCode() error {
	return credit.Errorf(credit.EINVALID, "未能从该文件中识别出二维码。请使用清晰的扫描件（PNG、JPEG）或报告的 PDF 文件，或手工输入二维码下方的核验码。",
		"No QR code could be read from this file. Use a clear scan (PNG, JPEG) or the report's PDF, or type the code printed under the QR.")
}

// decodePage is the image of a scan, or of page 1 of a PDF.
func decodePage(ctx context.Context, data []byte) (image.Image, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode image: %w", err)
		}
		return img, nil
	}
	f, err := os.CreateTemp("", "credit-verify-*.pdf")
	if err != nil {
		return nil, fmt.Errorf("verify pdf: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("verify pdf: %w", err)
	}
	img, err := report.RasterizePDFPage1(ctx, f.Name())
	if errors.Is(err, report.ErrNoPdftoppm) {
		return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "本机未安装 PDF 渲染工具（poppler-utils），无法读取 PDF。请改用扫描图片或手工输入核验码。",
			"This computer cannot read PDF files (poppler-utils is not installed). Use a scanned image or type the code."), err)
	}
	return img, err
}

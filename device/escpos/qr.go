package escpos

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	credit "github.com/gansu-credit/credit"
)

// MaxNativeQRData is the most bytes GS ( k fn 80 may store.
const MaxNativeQRData = 7089

// QR prints data as a QR code at error-correction level Q, centred: as a
// raster image by default, with GS ( k when Config.NativeQR is set. The
// alignment in force before the call is restored afterwards.
func (p *Printer) QR(data string) error {
	if !p.cfg.NativeQR {
		return p.QRRaster(data)
	}
	prev := p.align
	if err := p.Align(Center); err != nil {
		return err
	}
	if err := p.QRNative(data); err != nil {
		return err
	}
	return p.Align(prev)
}

// errQRTooWide is the user-facing refusal of a QR that does not fit.
func errQRTooWide(dots, width int) error {
	return credit.Errorf(credit.EINVALID, "二维码过大（%d 点），超出小票纸宽（%d 点），无法打印。",
		"The QR code is too large (%d dots) for the receipt paper (%d dots).", dots, width)
}

// QRRaster prints data as the skip2/go-qrcode symbol at level Q, quiet
// zone included, Config.ModuleDots dots per module, as one GS v 0 raster
// image as wide as the paper with the symbol centred in it. A symbol wider
// than the paper is refused (EINVALID) and nothing is appended.
func (p *Printer) QRRaster(data string) error {
	if p.err != nil {
		return p.err
	}
	q, err := qrcode.New(data, qrcode.High) // skip2's High is level Q
	if err != nil {
		return p.fail(fmt.Errorf("escpos: QR of %d bytes: %w", len(data), err))
	}
	return p.QRBitmap(q.Bitmap()) // the bitmap includes the 4-module quiet zone
}

// QRBitmap prints a prepared QR symbol (rows of dark modules, quiet zone
// included, as from skip2's Bitmap or app/report.EncodeQR) as QRRaster
// does, for callers that already hold the symbol. An empty, ragged or
// too-wide bitmap is refused and nothing is appended.
func (p *Printer) QRBitmap(bm [][]bool) error {
	if p.err != nil {
		return p.err
	}
	for _, row := range bm {
		if len(row) != len(bm) {
			return p.fail(fmt.Errorf("escpos: QR bitmap is not square (%d rows, a row of %d)", len(bm), len(row)))
		}
	}
	if len(bm) == 0 {
		return p.fail(fmt.Errorf("escpos: empty QR bitmap"))
	}
	dots := len(bm) * p.cfg.ModuleDots
	if dots > p.cfg.Width {
		return p.fail(fmt.Errorf("escpos: QR of %d modules: %w", len(bm), errQRTooWide(dots, p.cfg.Width)))
	}
	p.buf = appendRaster(p.buf, bm, p.cfg.ModuleDots, p.cfg.Width)
	return nil
}

// appendRaster appends GS v 0 (normal density) for a width-dot-wide image
// with bm scaled by scale and centred horizontally. Bits are MSB first,
// 1 = black.
func appendRaster(dst []byte, bm [][]bool, scale, width int) []byte {
	rowBytes := (width + 7) / 8
	rows := len(bm) * scale
	left := (width - len(bm)*scale) / 2
	dst = append(dst, 0x1D, 0x76, 0x30, 0x00,
		byte(rowBytes), byte(rowBytes>>8), byte(rows), byte(rows>>8))
	for _, mrow := range bm {
		start := len(dst)
		dst = append(dst, make([]byte, rowBytes)...)
		line := dst[start:]
		for x, dark := range mrow {
			if !dark {
				continue
			}
			for d := left + x*scale; d < left+(x+1)*scale; d++ {
				line[d>>3] |= 0x80 >> (d & 7)
			}
		}
		for range scale - 1 {
			dst = append(dst, line...)
		}
	}
	return dst
}

// QRNative emits the printer's own QR commands (GS ( k, cn 49): model 2
// (fn 65), module size Config.ModuleDots (fn 67), level Q (fn 69), store
// data (fn 80, pL + 256·pH = len(data) + 3) and print (fn 81). It does not
// change the alignment; QR centres it. Data longer than MaxNativeQRData,
// or whose symbol at level Q (as skip2 sizes it, quiet zone included)
// would be wider than the paper, is refused and nothing is appended.
func (p *Printer) QRNative(data string) error {
	if p.err != nil {
		return p.err
	}
	if len(data) == 0 || len(data) > MaxNativeQRData {
		return p.fail(fmt.Errorf("escpos: native QR of %d bytes: want 1 to %d", len(data), MaxNativeQRData))
	}
	if p.cfg.ModuleDots > 16 {
		return p.fail(fmt.Errorf("escpos: native QR module of %d dots: want 1 to 16", p.cfg.ModuleDots))
	}
	// The printer encodes the symbol itself and clips or skips one that
	// does not fit, so size it with skip2 first (same level, quiet zone
	// included) and refuse what would not fit the paper.
	q, err := qrcode.New(data, qrcode.High)
	if err != nil {
		return p.fail(fmt.Errorf("escpos: native QR of %d bytes: %w", len(data), err))
	}
	if dots := len(q.Bitmap()) * p.cfg.ModuleDots; dots > p.cfg.Width {
		return p.fail(fmt.Errorf("escpos: native QR version %d: %w", q.VersionNumber, errQRTooWide(dots, p.cfg.Width)))
	}
	n := len(data) + 3
	p.buf = append(p.buf,
		0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // fn 65: model 2
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, byte(p.cfg.ModuleDots), // fn 67: module size
		0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x32, // fn 69: level Q
		0x1D, 0x28, 0x6B, byte(n), byte(n>>8), 0x31, 0x50, 0x30) // fn 80: store
	p.buf = append(p.buf, data...)
	p.buf = append(p.buf, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30) // fn 81: print
	return nil
}

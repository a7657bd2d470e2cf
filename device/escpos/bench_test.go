package escpos_test

import (
	"io"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/gansu-credit/credit/device/escpos"
)

// BenchmarkReceiptRaster encodes the full sample receipt with a
// report-sized (version 14) raster QR on 58 mm paper.
func BenchmarkReceiptRaster(b *testing.B) {
	r := sampleReceipt()
	r.QR = longCR1
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		p := escpos.New(io.Discard, escpos.Config{})
		if err := p.Receipt(r); err != nil {
			b.Fatal(err)
		}
		if err := p.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReceiptPreparedQR is the same receipt with the QR symbol
// already encoded (QRBitmap): the cost of the ESC/POS encoding itself.
func BenchmarkReceiptPreparedQR(b *testing.B) {
	r := sampleReceipt()
	r.QR = ""
	q, err := qrcode.New(longCR1, qrcode.High)
	if err != nil {
		b.Fatal(err)
	}
	bm := q.Bitmap()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		p := escpos.New(io.Discard, escpos.Config{})
		p.Receipt(r)
		p.QRBitmap(bm)
		if err := p.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

package report

import (
	"crypto"
	"time"
)

// renderSigned lays out a one-document PDF titled title and dated at with
// draw, signs the claims of its page count, and finishes every page with
// the QR and the footer (noLabel + number): the shared path of Render
// (reports) and RenderReceipt (receipts). texts are the strings the font
// subset must cover.
func renderSigned(texts []string, title string, at time.Time, draw func(*layout), claims func(pages int) Claims, signer crypto.Signer, noLabel string) (*Rendered, error) {
	return renderDocument(texts, func(font []byte) (*Rendered, *glyphChecker, error) {
		g, err := newGlyphChecker()
		if err != nil {
			return nil, nil, err
		}
		pdf := newDocument(title, at, font)
		l := &layout{pdf: pdf, g: g}
		pdf.AddPage()
		draw(l)
		if err := pdf.Error(); err != nil {
			return nil, nil, err
		}
		signed, err := Sign(signer, claims(pdf.PageCount()))
		if err != nil {
			return nil, nil, err
		}
		q, err := EncodeQR(signed.Text)
		if err != nil {
			return nil, nil, err
		}
		out, err := l.finish(noLabel, signed, q)
		return out, g, err
	})
}

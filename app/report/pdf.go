package report

import (
	"bytes"
	"crypto"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	bottomMargin = 20.0
	// ModuleMM is the printed size of one QR module: 6 dots at 300 dpi,
	// 12 at 600 dpi, above the 0.5 mm floor of §2.
	ModuleMM = 0.508
	// qrBox is the space reserved top-right on page 1: a version-20
	// symbol with its quiet zone is (97+8)*0.508 = 53.3 mm.
	qrBox    = 54.0
	fontName = "wqy"
)

// Rendered is a signed, printable report.
type Rendered struct {
	PDF           []byte
	Pages         int
	Signed        Signed  // the QR text, claims and verification code
	QRVersion     int     // QR symbol version (≤ MaxQRVersion)
	QRSizeMM      float64 // printed side of the symbol including quiet zone
	MissingGlyphs []rune  // runes the font lacks, printed as [U+XXXX]
}

// Render lays out r as an A4 PDF, signs its claims with signer (valid for
// validity from r.IssuedAt) and draws the QR top-right on page 1. It does
// no I/O.
func Render(r Report, signer crypto.Signer, validity time.Duration) (*Rendered, error) {
	switch {
	case r.ReportNo == "":
		return nil, credit.Errorf(credit.EINVALID, "报告缺少编号。", "The report has no report number.")
	case r.IssuedAt.IsZero():
		return nil, credit.Errorf(credit.EINVALID, "报告缺少出具时间。", "The report has no issue time.")
	case r.Subject.Name == "" || r.Subject.ID == "":
		return nil, credit.Errorf(credit.EINVALID, "报告缺少主体信息。", "The report has no subject.")
	case validity <= 0:
		return nil, credit.Errorf(credit.EINVALID, "报告有效期须大于零。", "The report validity must be positive.")
	}
	out, err := renderSigned(reportTexts(r), "公共信用信息报告 "+r.ReportNo, r.IssuedAt,
		func(l *layout) { l.header(r); l.sections(r) },
		func(pages int) Claims { return r.Claims(pages, validity) }, signer, "报告编号 Report No. ")
	if err != nil {
		return nil, fmt.Errorf("render report: %w", err)
	}
	return out, nil
}

// reportTexts lists the report's own strings, for the font subset.
func reportTexts(r Report) []string {
	t := []string{r.Subject.Name, r.Subject.Region, r.Office, r.ReportNo}
	for _, rec := range r.Records {
		t = append(t, rec.Title, rec.Content, rec.SourceUnit, rec.DocumentNo, rec.LegalBasis)
	}
	for _, q := range r.Inquiries {
		t = append(t, q.InquirerID, q.Purpose, q.Channel, q.AuthRef)
	}
	return t
}

// renderDocument runs build with the font subset to the predicted runes
// (fontsubset.go), and once more with the full font if build drew a rune
// the subset lacks, so nothing is dropped.
func renderDocument(texts []string, build func(font []byte) (*Rendered, *glyphChecker, error)) (*Rendered, error) {
	font, covered := subsetFont(predictRunes(texts...))
	out, g, err := build(font)
	if covered != nil && (err != nil || !g.drawnWithin(covered)) {
		// A rune outside the subset was drawn (or the subset font upset
		// fpdf): lay out again with the full font.
		fontFallbacks.Add(1)
		out, g, err = build(assets.FontRegular)
	}
	if err != nil {
		return nil, err
	}
	learn(g.seen)
	return out, nil
}

// newDocument starts an A4 PDF with the given TrueType font, dated at.
func newDocument(title string, at time.Time, font []byte) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottomMargin)
	pdf.AddUTF8FontFromBytes(fontName, "", font)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetTitle(title, true)
	pdf.SetCreator("creditctl", true)
	pdf.SetLang("zh-CN")
	return pdf
}

// finish prints the footer (label + number, page i of n) on every page
// and the QR top-right on page 1, and writes the PDF.
func (l *layout) finish(label string, signed Signed, q *qrcode.QRCode) (*Rendered, error) {
	pdf := l.pdf
	pages := pdf.PageCount()
	no := signed.Claims.ReportID
	pdf.SetAutoPageBreak(false, 0)
	for i := 1; i <= pages; i++ {
		pdf.SetPage(i)
		l.footer(label+no, i, pages)
	}
	pdf.SetPage(1)
	size := l.qr(q.Bitmap(), no, signed.Code)
	pdf.SetPage(pages) // fpdf writes pages 1..current: end on the last one

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write PDF: %w", err)
	}
	return &Rendered{
		PDF:           buf.Bytes(),
		Pages:         pages,
		Signed:        signed,
		QRVersion:     q.VersionNumber,
		QRSizeMM:      size,
		MissingGlyphs: l.g.missingRunes(),
	}, nil
}

// layout draws onto the document; every string goes through the glyph
// checker.
type layout struct {
	pdf *fpdf.Fpdf
	g   *glyphChecker
}

func (l *layout) font(size float64) { l.pdf.SetFont(fontName, "", size) }

func (l *layout) color(r, g, b int) { l.pdf.SetTextColor(r, g, b) }

// header draws the title block of page 1, leaving the QR box free.
func (l *layout) header(r Report) {
	p := l.pdf
	w := pageW - 2*margin - qrBox - 4
	p.SetXY(margin, margin+2)
	l.font(22)
	p.CellFormat(w, 11, l.g.text("公共信用信息报告"), "", 1, "L", false, 0, "")
	l.font(11)
	l.color(90, 90, 90)
	p.CellFormat(w, 6, "Public Credit Information Report", "", 1, "L", false, 0, "")
	zh, en := r.Type().Label()
	p.CellFormat(w, 6, l.g.text(zh+"  "+en), "", 1, "L", false, 0, "")
	l.color(0, 0, 0)
	p.Ln(3)
	l.font(10)
	rows := [][2]string{
		{"报告编号 Report No.", r.ReportNo},
		{"出具时间 Issued", r.IssuedAt.In(credit.China).Format("2006-01-02 15:04") + " (UTC+8)"},
		{"出具机构 Office", r.Office},
		{"数据截至 Data as of", dataAsOf(r.DataAsOf)},
		{"报告依据 Standard", "公共信用信息报告标准（2022年版）"},
	}
	for _, kv := range rows {
		l.keyValue(kv[0], kv[1], 36, w)
	}
	p.SetY(max(p.GetY(), margin+qrBox+10) + 2)
}

func dataAsOf(t time.Time) string {
	if t.IsZero() {
		return "尚未同步 never synchronised"
	}
	return t.In(credit.China).Format("2006-01-02 15:04") + " (UTC+8)"
}

// keyValue draws a label and a wrapped value at the left margin.
func (l *layout) keyValue(label, value string, labelW, totalW float64) {
	p := l.pdf
	if value == "" {
		value = "—"
	}
	y := p.GetY()
	if y > pageH-bottomMargin-6 {
		p.AddPage()
		y = p.GetY()
	}
	l.color(90, 90, 90)
	p.SetXY(margin, y)
	p.CellFormat(labelW, 5.5, l.g.text(label), "", 0, "L", false, 0, "")
	l.color(0, 0, 0)
	p.SetXY(margin+labelW, y)
	p.MultiCell(totalW-labelW, 5.5, l.g.text(value), "", "L", false)
}

// footer prints the labelled number and "第 i 页 共 n 页" on the current page.
func (l *layout) footer(numbered string, i, n int) {
	p := l.pdf
	l.font(8.5)
	l.color(90, 90, 90)
	p.SetDrawColor(180, 180, 180)
	p.Line(margin, pageH-14, pageW-margin, pageH-14)
	p.SetXY(margin, pageH-13)
	p.CellFormat(90, 5, l.g.text(numbered), "", 0, "L", false, 0, "")
	p.SetXY(pageW-margin-90, pageH-13)
	p.CellFormat(90, 5, l.g.text(fmt.Sprintf("第 %d 页 共 %d 页  Page %d of %d", i, n, i, n)), "", 0, "R", false, 0, "")
	l.color(0, 0, 0)
}

// qr draws the symbol (quiet zone included) as vector rectangles, one per
// horizontal run, top-right on the current page, with the report number
// and verification code under it. It returns the printed side in mm.
func (l *layout) qr(bm [][]bool, reportNo, code string) float64 {
	p := l.pdf
	size := float64(len(bm)) * ModuleMM
	x0 := pageW - margin - size
	y0 := margin
	p.SetFillColor(255, 255, 255)
	p.Rect(x0, y0, size, size, "F")
	p.SetFillColor(0, 0, 0)
	for _, r := range darkRuns(bm) {
		p.Rect(x0+float64(r.col)*ModuleMM, y0+float64(r.row)*ModuleMM, float64(r.n)*ModuleMM, ModuleMM, "F")
	}
	l.font(8)
	bx := pageW - margin - qrBox
	p.SetXY(bx, y0+size+1)
	p.CellFormat(qrBox, 4, reportNo, "", 2, "C", false, 0, "")
	p.SetX(bx)
	p.CellFormat(qrBox, 4, l.g.text("核验码 Code "+code), "", 2, "C", false, 0, "")
	return size
}

package escpos

import "strings"

// Receipt is a simple slip: a centred bold title, label/value lines, an
// optional QR code and centred footer lines.
type Receipt struct {
	Title  string
	Lines  []Line
	QR     string // QR payload; "" prints none
	Footer []string
}

// Line is one "label: value" row of a Receipt.
type Line struct {
	Label string
	Value string
}

// Receipt lays r out for the paper width and appends it: ESC @, the title
// (centred, bold, double height), a rule, each line as "label：value"
// with the value wrapped under itself (a CJK character is 2 columns of the
// 32 on 58 mm or 48 on 80 mm paper; a label wider than half the paper puts
// the value on the next lines, and so does a value that would fit a line
// of its own but not beside the label), a rule, the QR centred, the footer
// centred, a 3-line feed and a partial cut. It does not flush.
func (p *Printer) Receipt(r Receipt) error {
	cols := p.Columns()
	p.Init()
	if r.Title != "" {
		p.Align(Center)
		p.Bold(true)
		p.Size(1, 2)
		for _, l := range Wrap(r.Title, cols) {
			p.Line(l)
		}
		p.Size(1, 1)
		p.Bold(false)
		p.Align(Left)
	}
	p.Rule()
	for _, l := range r.Lines {
		p.labelled(l, cols)
	}
	p.Rule()
	if r.QR != "" {
		p.Feed(1)
		p.QR(r.QR)
	}
	if len(r.Footer) > 0 {
		p.Align(Center)
		for _, f := range r.Footer {
			for _, l := range Wrap(f, cols) {
				p.Line(l)
			}
		}
		p.Align(Left)
	}
	p.Feed(3)
	return p.Cut(0)
}

// labelled prints one Line with a hanging indent.
func (p *Printer) labelled(l Line, cols int) {
	head := l.Label
	if head != "" {
		head += "："
	}
	indent, vw := Width(head), Width(l.Value)
	// A value that fits a line of its own but not beside the label goes
	// under it whole rather than split (numbers, codes, dates).
	if indent > cols/2 || vw > cols-indent && vw <= cols {
		for _, h := range Wrap(head, cols) {
			p.Line(h)
		}
		for _, v := range Wrap(l.Value, cols) {
			p.Line(v)
		}
		return
	}
	pad := strings.Repeat(" ", indent)
	for i, v := range Wrap(l.Value, cols-indent) {
		if i == 0 {
			p.Line(head + v)
		} else {
			p.Line(pad + v)
		}
	}
}

package report

import (
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

const contentW = pageW - 2*margin

// sections draws the body in the order of 公共信用信息报告标准（2022年版）:
// subject, basic, untrustworthiness, other, inquiries, notes.
func (l *layout) sections(r Report) {
	num := []string{"一", "二", "三", "四", "五", "六", "七"}
	n := 0
	next := func() string { n++; return num[n-1] + "、" }

	l.heading(next() + "主体信息  Subject")
	l.font(10)
	kindZH, kindEN := "法人和非法人组织", "legal person or organisation"
	idLabel := "统一社会信用代码 USCC"
	if r.Subject.IsPerson() {
		kindZH, kindEN = "自然人", "natural person"
		idLabel = "身份证号码 ID number"
	}
	l.keyValue("名称 Name", r.Subject.Name, 44, contentW)
	l.keyValue(idLabel, r.Subject.MaskedID(), 44, contentW)
	l.keyValue("主体类型 Kind", kindZH+" "+kindEN, 44, contentW)
	l.keyValue("行政区划 Region", r.Subject.Region, 44, contentW)

	for _, c := range credit.Categories {
		zh, en := c.Label()
		l.heading(next() + zh + "  " + en)
		recs := recordsIn(r.Records, c)
		if len(recs) == 0 {
			l.none()
			continue
		}
		for i, rec := range recs {
			l.record(i+1, rec)
		}
	}

	l.heading(next() + "查询记录  Inquiry records")
	l.inquiries(r.Inquiries)

	l.heading(next() + "说明  Notes")
	l.font(9.5)
	l.para("本报告信息来源于本终端最近一次与甘肃省公共信用信息平台同步的数据，截至 " + dataAsOf(r.DataAsOf) + "。" +
		"This report shows the data of the terminal's last synchronisation with the provincial platform, as of " + dataAsOf(r.DataAsOf) + ".")
	if r.Stale {
		l.color(180, 0, 0)
		l.para("注意：本终端数据已超过规定的同步期限，可能不是最新信息，请以平台数据为准。" +
			"Warning: this terminal's data is older than the sync policy allows and may be out of date; the platform's data prevails.")
		l.color(0, 0, 0)
	}
	l.para("扫描首页二维码可离线核验本报告的真实性；也可凭报告编号和核验码联网核验。" +
		"Scan the QR code on page 1 to verify this report offline, or verify online with the report number and verification code.")
	l.para("对信用信息有异议的，可依照《甘肃省社会信用条例》提出异议申请。" +
		"Objections to any record may be filed under the Gansu Province Social Credit Regulations.")
}

func recordsIn(recs []credit.Record, c credit.Category) []credit.Record {
	var out []credit.Record
	for _, r := range recs {
		if r.Category == c {
			out = append(out, r)
		}
	}
	return out
}

func (l *layout) heading(s string) {
	p := l.pdf
	if p.GetY() > pageH-bottomMargin-50 { // keep a heading with its first item
		p.AddPage()
	}
	p.Ln(3)
	l.font(13)
	p.SetFillColor(232, 238, 246)
	p.SetX(margin)
	p.CellFormat(contentW, 8, l.g.text(s), "", 1, "L", true, 0, "")
	p.Ln(1.5)
}

func (l *layout) none() {
	l.font(10)
	l.color(90, 90, 90)
	l.para("无  None")
	l.color(0, 0, 0)
}

func (l *layout) para(s string) {
	p := l.pdf
	p.SetX(margin)
	p.MultiCell(contentW, 5.5, l.g.text(s), "", "L", false)
	p.Ln(1)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(credit.China).Format("2006-01-02")
}

func (l *layout) record(i int, rec credit.Record) {
	p := l.pdf
	if p.GetY() > pageH-bottomMargin-35 {
		p.AddPage()
	}
	l.font(11)
	p.SetX(margin)
	title := fmt.Sprintf("%d. %s", i, rec.Title)
	p.MultiCell(contentW, 6.5, l.g.text(title), "", "L", false)
	if rec.UnderObjection {
		l.color(180, 0, 0)
		l.font(10)
		p.SetX(margin)
		p.CellFormat(contentW, 5.5, l.g.text("【异议处理中 under objection】"), "", 1, "L", false, 0, "")
		l.color(0, 0, 0)
	}
	l.font(9.5)
	l.keyValue("内容 Content", rec.Content, 40, contentW)
	l.keyValue("信息提供单位 Source", rec.SourceUnit, 40, contentW)
	l.keyValue("决定文书号 Doc. No.", rec.DocumentNo, 40, contentW)
	l.keyValue("法律依据 Legal basis", rec.LegalBasis, 40, contentW)
	l.keyValue("决定日期 Decided", date(rec.DecisionDate), 40, contentW)
	period := "—"
	if !rec.PublicityUntil.IsZero() {
		period = "至 " + date(rec.PublicityUntil) + " until " + date(rec.PublicityUntil)
	}
	l.keyValue("公示期限 Publicity", period, 40, contentW)
	if rec.Tier != credit.TierNone {
		zh, en := rec.Tier.Label()
		l.keyValue("失信程度 Tier", zh+" "+en, 40, contentW)
	}
	p.Ln(2)
}

// inquiries draws the inquiry log as a four-column table: when, who,
// through which channel (the terminal's or office's device ID: this
// terminal's own entries and those of other terminals brought by sync
// alike, as on screen) and why — the inquiry record of the report
// standard (公共信用信息报告标准（2022年版）; Art. 24, 45 of the Regulations).
func (l *layout) inquiries(qs []credit.Inquiry) {
	if len(qs) == 0 {
		l.none()
		return
	}
	p := l.pdf
	cols := []float64{31, 44, 42, contentW - 117}
	head := []string{"查询时间 When", "查询者 Who", "查询渠道 Channel", "用途 Purpose"}
	l.font(9)
	p.SetFillColor(245, 245, 245)
	p.SetX(margin)
	for i, h := range head {
		p.CellFormat(cols[i], 6.5, l.g.text(h), "B", 0, "L", true, 0, "")
	}
	p.Ln(-1)
	for _, q := range qs {
		if p.GetY() > pageH-bottomMargin-7 {
			p.AddPage()
		}
		p.SetX(margin)
		cells := []string{q.At.In(credit.China).Format("2006-01-02 15:04"), inquirer(q), q.Channel, purpose(q.Purpose)}
		for i, c := range cells {
			p.CellFormat(cols[i], 6, fit(p.GetStringWidth, l.g.text(c), cols[i]-2), "", 0, "L", false, 0, "")
		}
		p.Ln(-1)
	}
}

func inquirer(q credit.Inquiry) string {
	switch q.InquirerKind {
	case credit.InquirerSelf:
		return "本人 self"
	case credit.InquirerClerk:
		return "工作人员 clerk " + q.InquirerID
	case credit.InquirerPublic:
		return "公众 public"
	}
	return string(q.InquirerKind)
}

func purpose(p string) string {
	switch p {
	case credit.PurposeSelf:
		return "本人查询 self inquiry"
	case credit.PurposePublic:
		return "公开查询 public search"
	}
	return p
}

// fit shortens s with "…" until it is at most w wide.
func fit(width func(string) float64, s string, w float64) string {
	if width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

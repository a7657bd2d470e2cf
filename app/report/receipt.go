package report

import (
	"crypto"
	"crypto/sha256"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Receipt is the proof, handed to the applicant, that an objection (Art.
// 46) or a restoration application (Art. 47) was received, with the due
// dates computed at receipt.
type Receipt struct {
	Kind          credit.ApplicationKind
	ApplicationID string // client UUID
	No            string // application number (申请编号), e.g. YY-20261127-3F2A9C01
	Subject       credit.Subject
	Record        credit.Record        // the record the application is about (at least its ID)
	ObjectionType credit.ObjectionType // objections only
	Filed         string               // the statement (objection) or the performance described (restoration)
	Committed     bool                 // restoration: credit commitment letter signed
	ReceivedAt    time.Time
	// FirstDue and SecondDue are, for an objection, the label and decision
	// deadlines; for a restoration, the acceptance and feedback deadlines.
	FirstDue, SecondDue time.Time
	// Provisional marks the due dates as counted over a year whose
	// holiday notice is not out yet (issue #5): printed "（暂定）
	// (provisional)" with a line saying why. It is not in the signed
	// claims, which carry the dates only.
	Provisional bool
	IssuedAt    time.Time // when the receipt is printed
	Office      string    // receiving office, printed
}

// The provisional mark of a due date and its one-line explanation
// (issue #5: a deadline reaching into a year whose holiday notice is not
// out yet is provisional and recounted when the notice arrives).
const (
	ProvisionalMark   = "（暂定）(provisional)"
	ProvisionalNoteZH = "标“暂定”的期限跨入节假日安排尚未公布的年份，公布后将重新计算。"
	ProvisionalNoteEN = "Dates marked provisional reach into a year whose public holidays are not yet announced; they are recounted when they are."
)

// receiptKindCode is summary[0] of a receipt's claims.
func receiptKindCode(k credit.ApplicationKind) uint64 {
	switch k {
	case credit.KindObjection:
		return 1
	case credit.KindRestoration:
		return 2
	}
	return 0
}

// subjectOf rebuilds the subject an application names.
func subjectOf(id, name string) credit.Subject {
	s := credit.Subject{ID: id, Name: name}
	if _, kind, err := credit.ParseSubjectID(id); err == nil {
		s.Kind = kind
	}
	return s
}

// ObjectionReceipt is the receipt for o about record rec (rec may carry
// only its ID when the record is no longer cached).
func ObjectionReceipt(o credit.Objection, rec credit.Record) Receipt {
	if rec.ID == "" {
		rec.ID = o.RecordID
	}
	return Receipt{Kind: credit.KindObjection, ApplicationID: o.ID, No: o.No, Subject: subjectOf(o.SubjectID, o.SubjectName),
		Record: rec, ObjectionType: o.Type, Filed: o.Statement, ReceivedAt: o.ReceivedAt,
		FirstDue: o.LabelDue, SecondDue: o.DecisionDue}
}

// RestorationReceipt is the receipt for a restoration application.
func RestorationReceipt(r credit.Restoration, rec credit.Record) Receipt {
	if rec.ID == "" {
		rec.ID = r.RecordID
	}
	return Receipt{Kind: credit.KindRestoration, ApplicationID: r.ID, No: r.No, Subject: subjectOf(r.SubjectID, r.SubjectName),
		Record: rec, Filed: r.Performance, Committed: r.Committed, ReceivedAt: r.ReceivedAt,
		FirstDue: r.AcceptDue, SecondDue: r.FeedbackDue}
}

// ContentDigest is the SHA-256 of the canonical receipt data
// (deterministic CBOR), so the platform, holding the application, can
// recompute it.
func (r Receipt) ContentDigest() [32]byte {
	var e cborEnc
	e.array(12)
	e.uint(SchemaVersion)
	e.text(string(r.Kind))
	e.text(r.ApplicationID)
	e.text(r.No)
	e.text(r.Subject.ID)
	e.text(r.Record.ID)
	e.text(string(r.ObjectionType))
	e.text(r.Filed)
	e.uint(boolUint(r.Committed))
	e.int(unixOrZero(r.ReceivedAt))
	e.int(unixOrZero(r.FirstDue))
	e.int(unixOrZero(r.SecondDue))
	return sha256.Sum256(e.b)
}

// Claims builds the signed claim set of the receipt (report_type 4).
func (r Receipt) Claims(pages int, validity time.Duration) Claims {
	return Claims{
		ReportID:         r.No,
		IssuedAt:         r.IssuedAt,
		Expires:          r.IssuedAt.Add(validity),
		Type:             ReceiptType,
		SubjectName:      r.Subject.MaskedName(),
		SubjectIDDisplay: r.Subject.MaskedID(),
		ContentDigest:    r.ContentDigest(),
		Summary: []uint64{receiptKindCode(r.Kind), unixUint(r.ReceivedAt),
			unixUint(r.FirstDue), unixUint(r.SecondDue)},
		Pages: pages,
	}
}

func validReceiptSummary(s []uint64) bool {
	return len(s) == 4 && (s[0] == 1 || s[0] == 2) && s[1] > 0 && s[2] >= s[1] && s[3] >= s[2]
}

// ReceiptInfo is what a receipt's signed summary says.
type ReceiptInfo struct {
	Kind                credit.ApplicationKind
	ReceivedAt          time.Time
	FirstDue, SecondDue time.Time
}

// DueLabels names the two due dates of the kind, in Chinese and English.
func (i ReceiptInfo) DueLabels() (firstZH, firstEN, secondZH, secondEN string) {
	return dueLabels(i.Kind)
}

func dueLabels(k credit.ApplicationKind) (string, string, string, string) {
	if k == credit.KindRestoration {
		return "受理决定期限", "acceptance decision due", "办理反馈期限", "feedback due"
	}
	return "异议标注期限", "objection label due", "核查决定期限", "decision due"
}

// Receipt decodes the signed summary of a receipt; ok is false for a
// report.
func (c Claims) Receipt() (ReceiptInfo, bool) {
	if c.Type != ReceiptType || !validReceiptSummary(c.Summary) {
		return ReceiptInfo{}, false
	}
	kind := credit.KindObjection
	if c.Summary[0] == 2 {
		kind = credit.KindRestoration
	}
	t := func(n uint64) time.Time { return time.Unix(int64(min(n, 1<<40)), 0).UTC() }
	return ReceiptInfo{Kind: kind, ReceivedAt: t(c.Summary[1]), FirstDue: t(c.Summary[2]), SecondDue: t(c.Summary[3])}, true
}

// RenderReceipt lays out r as an A4 PDF with a QR that verifies it
// (report_type 4), signed with signer and valid for validity from
// r.IssuedAt. It does no I/O.
func RenderReceipt(r Receipt, signer crypto.Signer, validity time.Duration) (*Rendered, error) {
	switch {
	case receiptKindCode(r.Kind) == 0:
		return nil, credit.Errorf(credit.EINVALID, "回执的申请类型无效。", "The receipt's application kind %q is unknown.", r.Kind)
	case r.No == "" || r.ApplicationID == "":
		return nil, credit.Errorf(credit.EINVALID, "回执缺少申请编号。", "The receipt has no application number.")
	case r.Subject.ID == "" || r.Subject.Name == "":
		return nil, credit.Errorf(credit.EINVALID, "回执缺少申请主体。", "The receipt has no subject.")
	case r.ReceivedAt.IsZero() || r.IssuedAt.IsZero():
		return nil, credit.Errorf(credit.EINVALID, "回执缺少受理或出具时间。", "The receipt has no time of receipt or of issue.")
	case r.FirstDue.Before(r.ReceivedAt) || r.SecondDue.Before(r.FirstDue):
		return nil, credit.Errorf(credit.EINVALID, "回执的办理期限有误。", "The receipt's due dates are not in order.")
	case validity <= 0:
		return nil, credit.Errorf(credit.EINVALID, "回执有效期须大于零。", "The receipt validity must be positive.")
	}
	texts := []string{r.No, r.Subject.MaskedName(), r.Record.ID, r.Record.Title, r.Record.DocumentNo, r.Record.SourceUnit, r.Filed, r.Office}
	out, err := renderSigned(texts, "申请受理回执 "+r.No, r.IssuedAt, func(l *layout) { l.receipt(r) },
		func(pages int) Claims { return r.Claims(pages, validity) }, signer, "申请编号 Application No. ")
	if err != nil {
		return nil, fmt.Errorf("render receipt: %w", err)
	}
	return out, nil
}

// receipt draws the receipt body.
func (l *layout) receipt(r Receipt) {
	p := l.pdf
	w := pageW - 2*margin - qrBox - 4
	title, en, law := "异议申请受理回执", "Objection Receipt", "《甘肃省社会信用条例》第四十六条"
	if r.Kind == credit.KindRestoration {
		title, en, law = "信用修复申请受理回执", "Credit Restoration Application Receipt", "《甘肃省社会信用条例》第四十七条"
	}
	p.SetXY(margin, margin+2)
	l.font(20)
	p.CellFormat(w, 10, l.g.text(title), "", 1, "L", false, 0, "")
	l.font(11)
	l.color(90, 90, 90)
	p.CellFormat(w, 6, en, "", 1, "L", false, 0, "")
	l.color(0, 0, 0)
	p.Ln(3)
	l.font(10)
	ts := func(t time.Time) string { return t.In(credit.China).Format("2006-01-02 15:04") + " (UTC+8)" }
	day := func(t time.Time) string { return t.In(credit.China).Format("2006-01-02") }
	l.keyValue("申请编号 Application No.", r.No, 44, w)
	l.keyValue("受理时间 Received", ts(r.ReceivedAt), 44, w)
	l.keyValue("受理机构 Office", r.Office, 44, w)
	p.SetY(max(p.GetY(), margin+qrBox+10) + 2)

	full := pageW - 2*margin
	kindZH := "异议申请 objection"
	if r.Kind == credit.KindRestoration {
		kindZH = "信用修复申请 credit restoration"
	}
	l.keyValue("申请类型 Kind", kindZH, 44, full)
	l.keyValue("申请主体 Applicant", r.Subject.MaskedName(), 44, full)
	l.keyValue("证件号码 ID", r.Subject.MaskedID(), 44, full)
	rec := r.Record.ID
	if r.Record.Title != "" {
		rec = r.Record.Title
		if r.Record.DocumentNo != "" {
			rec += "（" + r.Record.DocumentNo + "）"
		}
		if r.Record.SourceUnit != "" {
			rec += "\n认定单位 " + r.Record.SourceUnit
		}
	}
	l.keyValue("所涉记录 Record", rec, 44, full)
	if r.Kind == credit.KindObjection {
		zh, en := r.ObjectionType.Label()
		l.keyValue("异议类型 Ground", zh+" "+en, 44, full)
		l.keyValue("异议理由 Statement", r.Filed, 44, full)
	} else {
		l.keyValue("履行情况 Performance", r.Filed, 44, full)
		committed := "未签署 not signed"
		if r.Committed {
			committed = "已签署 signed"
		}
		l.keyValue("信用承诺书 Commitment", committed, 44, full)
	}
	p.Ln(3)
	fz, fe, sz, se := dueLabels(r.Kind)
	l.font(11)
	mark := ""
	if r.Provisional {
		mark = ProvisionalMark
	}
	l.keyValue(fz+" "+fe, day(r.FirstDue)+" 前 (by)"+mark, 75, full)
	l.keyValue(sz+" "+se, day(r.SecondDue)+" 前 (by)"+mark, 75, full)
	l.keyValue("费用 Fee", "免费 / free of charge", 75, full)
	p.Ln(4)
	l.font(9)
	l.color(90, 90, 90)
	p.SetX(margin)
	p.MultiCell(full, 5, l.g.text("依据"+law+"受理。期限按工作日计算（节假日顺延）。请凭申请编号查询办理进度；扫描右上角二维码可离线核验本回执。"+
		"\nReceived under "+law+". Due dates count working days. Quote the application number to follow the case; the QR code verifies this receipt offline."), "", "L", false)
	if r.Provisional {
		p.SetX(margin)
		p.MultiCell(full, 5, l.g.text(ProvisionalNoteZH+"\n"+ProvisionalNoteEN), "", "L", false)
	}
	l.color(0, 0, 0)
}

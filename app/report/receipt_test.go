package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

const appUUID = "3f2a9c01-7b4e-4d2a-9c11-0a1b2c3d4e5f"

func fixtureObjection(t testing.TB) (credit.Objection, credit.Record) {
	t.Helper()
	r := fixtureReport(t)
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: appUUID, SubjectID: r.Subject.ID, SubjectName: r.Subject.Name,
		RecordID: "r2", Type: credit.ObjWrongInfo, Statement: "罚款已于2025年10月缴清，记录未更新。", Contact: "13800000000",
		Channel: "620102K1", ReceivedAt: issued})
	return o, r.Records[1]
}

func TestReceiptClaims(t *testing.T) {
	o, rec := fixtureObjection(t)
	rc := ObjectionReceipt(o, rec)
	rc.IssuedAt = issued.Add(time.Minute)
	c := rc.Claims(1, 365*24*time.Hour)
	if c.Type != ReceiptType || c.ReportID != o.No || c.SubjectName != "王*" || c.SubjectIDDisplay != rc.Subject.MaskedID() {
		t.Fatalf("claims %+v", c)
	}
	s, err := Sign(testKey(t, 1), c)
	if err != nil {
		t.Fatal(err)
	}
	res := Verify(s.Text, keySetOf("城关区", testKey(t, 1)), issued.Add(time.Hour))
	if res.Status != StatusValid {
		t.Fatalf("Verify %s %s", res.Status, res.Detail)
	}
	info, ok := res.Claims.Receipt()
	if !ok || info.Kind != credit.KindObjection || !info.ReceivedAt.Equal(o.ReceivedAt) || !info.FirstDue.Equal(o.LabelDue) || !info.SecondDue.Equal(o.DecisionDue) {
		t.Errorf("receipt info %+v ok %v; objection %+v", info, ok, o)
	}
	if _, ok := fixtureReport(t).Claims(1, time.Hour).Receipt(); ok {
		t.Error("a report's claims read as a receipt")
	}
	// A receipt claim set with a bad summary is refused at signing.
	bad := c
	bad.Summary = []uint64{3, 1, 2, 3}
	if _, err := Sign(testKey(t, 1), bad); err == nil {
		t.Error("receipt with kind 3 signed")
	}
	// The digest covers what was filed.
	other := rc
	other.Filed += "。"
	if other.ContentDigest() == rc.ContentDigest() {
		t.Error("digest ignores the statement")
	}
}

// TestRenderReceiptEndToEnd: render → pdftoppm → DecodeQR → Verify VALID,
// and pdftotext shows the application number, due dates and 免费.
func TestRenderReceiptEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("rasterises a page at 300 dpi; skipped in -short")
	}
	needTool(t, "pdftoppm")
	needTool(t, "pdftotext")
	o, rec := fixtureObjection(t)
	rest := credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: appUUID, SubjectID: o.SubjectID, SubjectName: o.SubjectName,
		RecordID: "r2", Performance: "已缴清罚款并提交完税证明。", Committed: true, ReceivedAt: issued})
	cases := []struct {
		name  string
		rc    Receipt
		wants []string
	}{
		{"objection", ObjectionReceipt(o, rec), []string{"异议申请受理回执", "异议标注期限", "核查决定期限", o.LabelDue.In(credit.China).Format("2006-01-02"),
			o.DecisionDue.In(credit.China).Format("2006-01-02"), "信息错误", "罚款已于2025年10月缴清", "兰城税罚〔2025〕318号"}},
		{"restoration", RestorationReceipt(rest, credit.Record{}), []string{"信用修复申请受理回执", "受理决定期限", "办理反馈期限",
			rest.AcceptDue.In(credit.China).Format("2006-01-02"), rest.FeedbackDue.In(credit.China).Format("2006-01-02"), "已签署", "r2"}},
	}
	priv := testKey(t, 1)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.rc.IssuedAt, c.rc.Office = issued.Add(time.Minute), "兰州市城关区发展和改革局"
			out, err := RenderReceipt(c.rc, priv, 365*24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.MissingGlyphs) != 0 {
				t.Errorf("missing glyphs %q", out.MissingGlyphs)
			}
			path := filepath.Join(t.TempDir(), "receipt.pdf")
			if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
				t.Fatal(err)
			}
			if keep := os.Getenv("RECEIPT_KEEP"); keep != "" {
				os.WriteFile(filepath.Join(keep, c.name+".pdf"), out.PDF, 0o644)
			}
			img, err := RasterizePDFPage1(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			text, err := DecodeQR(img)
			if err != nil {
				t.Fatal(err)
			}
			res := Verify(text, keySetOf("城关区", priv), issued.Add(time.Hour))
			if res.Status != StatusValid || res.Claims.Type != ReceiptType || res.Claims.ReportID != c.rc.No {
				t.Fatalf("Verify = %s %s %+v", res.Status, res.Detail, res.Claims)
			}
			txt, err := exec.CommandContext(t.Context(), "pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			s := string(txt)
			for _, want := range append(c.wants, c.rc.No, "免费", "free of charge", "王*", "第 1 页 共 1 页", out.Signed.Code) {
				if !strings.Contains(s, want) {
					t.Errorf("pdftotext lacks %q:\n%s", want, s)
				}
			}
			if strings.Contains(s, c.rc.Subject.ID) || strings.Contains(s, "王堃") || strings.Contains(s, "13800000000") {
				t.Error("the receipt prints the full ID number, the full name or the contact")
			}
		})
	}
}

func TestRenderReceiptRejects(t *testing.T) {
	o, rec := fixtureObjection(t)
	good := ObjectionReceipt(o, rec)
	good.IssuedAt = issued
	cases := map[string]func(r *Receipt){
		"kind":        func(r *Receipt) { r.Kind = "complaint" },
		"no number":   func(r *Receipt) { r.No = "" },
		"no subject":  func(r *Receipt) { r.Subject.Name = "" },
		"no received": func(r *Receipt) { r.ReceivedAt = time.Time{} },
		"no issued":   func(r *Receipt) { r.IssuedAt = time.Time{} },
		"due order":   func(r *Receipt) { r.SecondDue = r.FirstDue.Add(-time.Hour) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			r := good
			mutate(&r)
			_, err := RenderReceipt(r, testKey(t, 1), time.Hour)
			if credit.ErrorCode(err) != credit.EINVALID {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := RenderReceipt(good, testKey(t, 1), 0); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("zero validity: %v", err)
	}
}

package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (poppler-utils); skipping", name)
	}
}

// TestRenderEndToEnd prints a realistic report, rasterises page 1 at
// 300 dpi, finds the QR, verifies it and reads the text back.
func TestRenderEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("rasterises a page at 300 dpi; skipped in -short")
	}
	needTool(t, "pdftoppm")
	needTool(t, "pdftotext")
	priv := testKey(t, 1)
	r := fixtureReport(t)
	out, err := Render(r, priv, 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MissingGlyphs) != 0 {
		t.Errorf("missing glyphs for the fixture: %q", out.MissingGlyphs)
	}
	if out.QRVersion > MaxQRVersion || out.QRVersion < 1 {
		t.Errorf("QR version %d", out.QRVersion)
	}
	if min := float64(4*out.QRVersion+17+2*QuietZone) * 0.5; out.QRSizeMM < min {
		t.Errorf("QR printed at %.1f mm, below %.1f mm", out.QRSizeMM, min)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := RasterizePDFPage1(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	text, err := DecodeQR(img)
	if err != nil {
		t.Fatal(err)
	}
	if text != out.Signed.Text {
		t.Fatalf("QR text from the page differs from the signed text")
	}
	res := Verify(text, keySetOf("城关区", priv), issued.Add(time.Hour))
	if res.Status != StatusValid {
		t.Fatalf("Verify = %s (%s)", res.Status, res.Detail)
	}
	c := res.Claims
	if c.SubjectName != "王堃" || c.SubjectIDDisplay != r.Subject.MaskedID() || c.ReportID != r.ReportNo || c.Pages != out.Pages || c.Type != NaturalPersonReport {
		t.Errorf("signed claims %+v do not match the report", c)
	}
	if c.ContentDigest != r.ContentDigest() {
		t.Errorf("content digest mismatch")
	}
	if want := []uint64{1, 1, 1}; !equalU64(c.Summary, want) {
		t.Errorf("summary %v, want %v", c.Summary, want)
	}
	txt, err := exec.CommandContext(t.Context(), "pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	s := string(txt)
	for _, want := range []string{"公共信用信息报告", "王堃", r.ReportNo, "异议处理中", "第 1 页 共 ", "失信信息", "查询记录", "clerk-007", out.Signed.Code, "国家税务总局兰州市城关区税务局"} {
		if !strings.Contains(s, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	if strings.Contains(s, r.Subject.ID) {
		t.Errorf("the full ID number is printed; it must be masked")
	}
	if os.Getenv("REPORT_KEEP") != "" {
		os.WriteFile(os.Getenv("REPORT_KEEP"), out.PDF, 0o644)
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRenderMultiPage checks page numbering and that the signed page count
// matches the PDF.
func TestRenderMultiPage(t *testing.T) {
	needTool(t, "pdftotext")
	r := fixtureReport(t)
	r.Records = append(r.Records, manyRecords(r.Subject.ID, 40)...)
	r.Stale = true
	out, err := Render(r, testKey(t, 1), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages < 3 || out.Signed.Claims.Pages != out.Pages {
		t.Fatalf("pages = %d, signed %d", out.Pages, out.Signed.Claims.Pages)
	}
	cmd := exec.CommandContext(t.Context(), "pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(out.PDF)
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(txt), "\f")
	for i := 1; i <= out.Pages; i++ {
		want := "第 " + itoa(i) + " 页 共 " + itoa(out.Pages) + " 页"
		if !strings.Contains(pages[i-1], want) || !strings.Contains(pages[i-1], r.ReportNo) {
			t.Errorf("page %d lacks %q or the report number", i, want)
		}
	}
	if !strings.Contains(string(txt), "同步期限") {
		t.Errorf("stale note missing")
	}
	if got := out.Signed.Claims.Summary[1]; got != 41 {
		t.Errorf("untrustworthy count %d, want 41", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestRenderGlyphFallback: a character the font lacks is printed visibly
// and reported, never dropped.
func TestRenderGlyphFallback(t *testing.T) {
	needTool(t, "pdftotext")
	r := fixtureReport(t)
	r.Subject.Name = "𠮷野家"
	out, err := Render(r, testKey(t, 1), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MissingGlyphs) != 1 || out.MissingGlyphs[0] != 0x20BB7 {
		t.Fatalf("MissingGlyphs = %U, want [U+20BB7]", out.MissingGlyphs)
	}
	if out.Signed.Claims.SubjectName != "𠮷野家" {
		t.Errorf("the signed name must be the real name, got %q", out.Signed.Claims.SubjectName)
	}
	cmd := exec.CommandContext(t.Context(), "pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(out.PDF)
	txt, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(txt), "[U+20BB7]野家") {
		t.Errorf("fallback not printed; text:\n%s", txt)
	}
}

func TestRenderRejects(t *testing.T) {
	good := fixtureReport(t)
	tests := []struct {
		name   string
		mutate func(*Report)
	}{
		{"no report number", func(r *Report) { r.ReportNo = "" }},
		{"no issue time", func(r *Report) { r.IssuedAt = time.Time{} }},
		{"no subject", func(r *Report) { r.Subject.Name = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.mutate(&r)
			if _, err := Render(r, testKey(t, 1), time.Hour); err == nil {
				t.Fatal("Render accepted a bad report")
			}
		})
	}
	if _, err := Render(good, testKey(t, 1), 0); err == nil {
		t.Error("zero validity accepted")
	}
}

// TestRenderConcurrent renders from several goroutines; run with -race.
func TestRenderConcurrent(t *testing.T) {
	priv := testKey(t, 1)
	errs := make(chan error, 3)
	for i := range 3 {
		go func() {
			r := fixtureReport(t)
			r.Subject.Name += strings.Repeat("喆", i)
			_, err := Render(r, priv, time.Hour)
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRasterizePDFPage1Errors(t *testing.T) {
	needTool(t, "pdftoppm")
	notPDF := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(notPDF, []byte("not a pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := RasterizePDFPage1(t.Context(), notPDF); err == nil || !strings.Contains(err.Error(), "pdftoppm") {
		t.Errorf("garbage PDF: %v", err)
	}
	if _, err := RasterizePDFPage1(t.Context(), filepath.Join(t.TempDir(), "missing.pdf")); err == nil {
		t.Error("missing PDF rasterised")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := RasterizePDFPage1(t.Context(), notPDF); !errors.Is(err, ErrNoPdftoppm) {
		t.Errorf("without pdftoppm: %v, want ErrNoPdftoppm", err)
	}
}

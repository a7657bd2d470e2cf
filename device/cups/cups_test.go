package cups_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/cups"
)

// The app's DocumentPrinter port, satisfied implicitly.
var _ interface {
	PrintPDF(context.Context, string, []byte) (string, error)
} = (*cups.Printer)(nil)

var samplePDF = []byte("%PDF-1.4\n% credit report\n1 0 obj << >> endobj\n%%EOF\n")

func fixedNow() time.Time { return time.Date(2026, 11, 27, 4, 8, 5, 0, time.UTC) }

func newPrinter(f *fakeCUPS, printer string) (*cups.Printer, string) {
	spool := filepath.Join(f.t.TempDir(), "spool")
	return cups.New(cups.Config{Printer: printer, LP: f.lp, LPStat: f.lpstat, SpoolDir: spool, Now: fixedNow}), spool
}

func TestPrintPDFArgv(t *testing.T) {
	for _, tt := range []struct {
		name, printer, title string
		wantHead             []string // argv before the file
	}{
		{"named printer", "Office_A4", "信用报告 BG-620102-20261127-0001",
			[]string{"-d", "Office_A4", "-t", "信用报告 BG-620102-20261127-0001"}},
		{"default printer", "", "BG-1", []string{"-t", "BG-1"}},
		{"shell metacharacters", "PRN", `x"; touch pwned; echo '$(touch pwned2)' ` + "`touch pwned3` | & > out",
			[]string{"-d", "PRN", "-t", `x"; touch pwned; echo '$(touch pwned2)' ` + "`touch pwned3` | & > out"}},
		{"control characters", "PRN", "报告\n-d evil\r\x1b[2J\x00\tend\u202e",
			[]string{"-d", "PRN", "-t", "报告 -d evil [2J end"}},
		{"title looks like an option", "PRN", "-o media=Letter", []string{"-d", "PRN", "-t", "-o media=Letter"}},
		{"empty title", "PRN", "\n\t", []string{"-d", "PRN"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCUPS(t)
			p, spool := newPrinter(f, tt.printer)
			wd := t.TempDir()
			t.Chdir(wd)
			job, err := p.PrintPDF(t.Context(), tt.title, samplePDF)
			if err != nil {
				t.Fatal(err)
			}
			if job != "PRN-101" {
				t.Errorf("job id = %q, want PRN-101", job)
			}
			argv := f.argv("lp", 1)
			want := append(slices.Clone(tt.wantHead), "-o", "print-scaling=none", "-o", "media=A4", "--")
			if len(argv) != len(want)+1 || !slices.Equal(argv[:len(want)], want) {
				t.Fatalf("lp argv = %q, want %q + file", argv, want)
			}
			file := argv[len(argv)-1]
			if !filepath.IsAbs(file) || filepath.Dir(file) != spool || !strings.HasSuffix(file, ".pdf") {
				t.Errorf("file argument %q, want an absolute .pdf path in %s", file, spool)
			}
			if !bytes.Equal(f.printed(1), samplePDF) {
				t.Error("lp was given a file that is not the PDF")
			}
			if ents, _ := os.ReadDir(wd); len(ents) != 0 {
				t.Errorf("the title ran something: %v appeared", ents)
			}
			if pend, err := p.Pending(t.Context()); err != nil || len(pend) != 0 {
				t.Errorf("after lp accepted the job: pending %v, %v; want the spool emptied", pend, err)
			}
		})
	}
}

func TestPrintPDFFailureKeepsPDFAndRetry(t *testing.T) {
	f := newFakeCUPS(t)
	p, spool := newPrinter(f, "PRN")
	f.write("fail", "lp: Error - The printer or class does not exist.\n")

	_, err := p.PrintPDF(t.Context(), "BG-620102-0001", samplePDF)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "找不到设置的打印机") ||
		!strings.Contains(credit.ErrorMessageEN(err), "The report is kept") {
		t.Fatalf("err = %v, want EUNAVAILABLE printer does not exist, report kept", err)
	}
	if !strings.Contains(err.Error(), "The printer or class does not exist") {
		t.Errorf("err = %v, want lp's message in the chain for the log", err)
	}
	kept, ok := cups.KeptID(err)
	pend, err := p.Pending(t.Context())
	if err != nil || len(pend) != 1 {
		t.Fatalf("pending = %v, %v; want the refused job", pend, err)
	}
	job := pend[0]
	if !ok || kept != job.ID {
		t.Errorf("KeptID = %q, %v; want %q", kept, ok, job.ID)
	}
	if job.Title != "BG-620102-0001" || job.Attempts != 1 || !job.Created.Equal(fixedNow()) ||
		!strings.Contains(job.LastError, "does not exist") || !strings.HasPrefix(job.ID, "20261127T040805Z-") {
		t.Errorf("pending job = %+v", job)
	}
	fi, err := os.Stat(filepath.Join(spool, job.ID+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("spooled PDF mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(spool); di.Mode().Perm() != 0o700 {
		t.Errorf("spool directory mode %v, want 0700", di.Mode().Perm())
	}

	// Still failing: a second attempt is counted.
	if _, err := p.Retry(t.Context(), job.ID); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("retry while failing: %v", err)
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 1 || pend[0].Attempts != 2 {
		t.Fatalf("after a failed retry: %+v, want 1 job with 2 attempts", pend)
	}

	f.remove("fail")
	id, err := p.Retry(t.Context(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if id != "PRN-103" {
		t.Errorf("job id = %q, want PRN-103", id)
	}
	if !bytes.Equal(f.printed(3), samplePDF) {
		t.Error("the retried file is not the PDF")
	}
	if argv := f.argv("lp", 3); !slices.Contains(argv, "BG-620102-0001") || !slices.Contains(argv, "print-scaling=none") {
		t.Errorf("retry argv = %q, want the title and print-scaling=none", argv)
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 0 {
		t.Errorf("pending after a successful retry: %+v", pend)
	}
	if _, err := p.Retry(t.Context(), job.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("retrying a printed job: %v, want ENOTFOUND", err)
	}
	if f.calls("lp") != 3 {
		t.Errorf("lp ran %d times, want 3", f.calls("lp"))
	}
}

func TestPrintPDFFailureMessages(t *testing.T) {
	for _, tt := range []struct{ stderr, zh string }{
		{"lp: Error - scheduler not responding.", "打印服务（CUPS）未运行"},
		{"lp: Error - no default destination available.", "未设置打印机"},
		{"lp: Destination \"PRN\" is not accepting jobs.", "打印机暂停接收任务"},
		{"lp: Forbidden", "无权使用打印机"},
		{"lp: something new", "打印失败"},
		{"", "打印失败"},
	} {
		t.Run(tt.zh, func(t *testing.T) {
			f := newFakeCUPS(t)
			p, _ := newPrinter(f, "PRN")
			f.write("fail", tt.stderr)
			_, err := p.PrintPDF(t.Context(), "t", samplePDF)
			if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.HasPrefix(credit.ErrorMessage(err), tt.zh) ||
				!strings.HasSuffix(credit.ErrorMessage(err), "报告已保存，可稍后重新打印。") {
				t.Errorf("err = %v, want EUNAVAILABLE %s…报告已保存", err, tt.zh)
			}
		})
	}
}

// TestLPMissing: lp is not installed at all (PATH without it).
func TestLPMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	p := cups.New(cups.Config{SpoolDir: t.TempDir(), Now: fixedNow})
	_, err := p.PrintPDF(t.Context(), "BG-1", samplePDF)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessage(err), "未安装打印程序 lp（cups-client）") ||
		!strings.Contains(credit.ErrorMessageEN(err), "lp (package cups-client) is not installed") {
		t.Fatalf("err = %v, want EUNAVAILABLE lp not installed", err)
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 1 {
		t.Errorf("pending = %v, want the PDF kept", pend)
	}
	if _, err := p.Printers(t.Context()); !strings.Contains(credit.ErrorMessageEN(err), "lpstat (package cups-client) is not installed") {
		t.Errorf("Printers: %v, want lpstat not installed", err)
	}
}

func TestPrintPDFRefusesNonPDF(t *testing.T) {
	f := newFakeCUPS(t)
	p, spool := newPrinter(f, "PRN")
	for _, b := range [][]byte{nil, []byte("%PD"), []byte("<html>")} {
		if _, err := p.PrintPDF(t.Context(), "x", b); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("PrintPDF(%q) = %v, want EINVALID", b, err)
		}
	}
	if _, err := os.Stat(spool); !os.IsNotExist(err) || f.calls("lp") != 0 {
		t.Errorf("a refused document reached the spool (%v) or lp (%d runs)", err, f.calls("lp"))
	}
}

func TestDiscard(t *testing.T) {
	f := newFakeCUPS(t)
	p, _ := newPrinter(f, "PRN")
	f.write("fail", "lp: Error - scheduler not responding.")
	if _, err := p.PrintPDF(t.Context(), "x", samplePDF); err == nil {
		t.Fatal("want a failure")
	}
	pend, _ := p.Pending(t.Context())
	if len(pend) != 1 {
		t.Fatalf("pending %v", pend)
	}
	for _, bad := range []string{"../etc/passwd", "", pend[0].ID + "x"} {
		if err := p.Discard(bad); credit.ErrorCode(err) != credit.ENOTFOUND {
			t.Errorf("Discard(%q) = %v, want ENOTFOUND", bad, err)
		}
	}
	if err := p.Discard(pend[0].ID); err != nil {
		t.Fatal(err)
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 0 {
		t.Errorf("pending after discard: %v", pend)
	}
}

func TestStatus(t *testing.T) {
	f := newFakeCUPS(t)
	p, _ := newPrinter(f, "")
	f.write("lpstat.out", "Office_A4-7             kiosk             2048   Fri 27 Nov 2026 04:08:05 AM UTC\n"+
		"Office_A4-9             kiosk           123456   Fri 27 Nov 2026 04:09:00 AM UTC\n")
	for _, tt := range []struct {
		job  string
		want cups.JobStatus
	}{
		{"Office_A4-9", cups.JobStatus{ID: "Office_A4-9", Size: 123456}},
		{"Office_A4-8", cups.JobStatus{ID: "Office_A4-8", Done: true}},
	} {
		got, err := p.Status(t.Context(), tt.job)
		if err != nil || got != tt.want {
			t.Errorf("Status(%s) = %+v, %v; want %+v", tt.job, got, err, tt.want)
		}
	}
	if argv := f.argv("lpstat", 1); !slices.Equal(argv, []string{"-W", "not-completed", "-o", "Office_A4"}) {
		t.Errorf("lpstat argv = %q", argv)
	}
	if _, err := p.Status(t.Context(), "no id; rm -rf /"); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("bad job id: %v, want EINVALID", err)
	}
	f.write("lpstat.fail", "lpstat: Invalid destination name in list \"Office_A4\".")
	if _, err := p.Status(t.Context(), "Office_A4-9"); credit.ErrorCode(err) != credit.EUNAVAILABLE ||
		strings.Contains(credit.ErrorMessage(err), "报告已保存") {
		t.Errorf("lpstat failing: %v, want EUNAVAILABLE without a spool sentence", err)
	}
}

func TestPrinters(t *testing.T) {
	f := newFakeCUPS(t)
	p, _ := newPrinter(f, "")
	f.write("lpstat.out", "Office_A4\nPDF\n办公室打印机\n")
	got, err := p.Printers(t.Context())
	if err != nil || !slices.Equal(got, []string{"Office_A4", "PDF", "办公室打印机"}) {
		t.Errorf("Printers = %q, %v", got, err)
	}
	if argv := f.argv("lpstat", 1); !slices.Equal(argv, []string{"-e"}) {
		t.Errorf("lpstat argv = %q, want [-e]", argv)
	}
	f.write("lpstat.out", "system default destination: Office_A4\n")
	if d, err := p.Default(t.Context()); err != nil || d != "Office_A4" {
		t.Errorf("Default = %q, %v", d, err)
	}
	f.write("lpstat.out", "no system default destination\n")
	if d, err := p.Default(t.Context()); err != nil || d != "" {
		t.Errorf("Default with none = %q, %v", d, err)
	}
	f.write("lpstat.fail", "lpstat: No destinations added.\n")
	if got, err := p.Printers(t.Context()); err != nil || len(got) != 0 {
		t.Errorf("no destinations: %q, %v; want an empty list", got, err)
	}
	f.write("lpstat.fail", "lpstat: Bad file descriptor\n")
	if _, err := p.Printers(t.Context()); credit.ErrorCode(err) != credit.EUNAVAILABLE ||
		!strings.Contains(credit.ErrorMessage(err), "打印服务（CUPS）未运行") {
		t.Errorf("CUPS down: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	f := newFakeCUPS(t)
	slow := filepath.Join(f.dir, "slow-lp")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 10\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := cups.New(cups.Config{LP: slow, SpoolDir: t.TempDir(), Now: fixedNow})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.PrintPDF(ctx, "x", samplePDF)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %v, want EUNAVAILABLE soon after the deadline", err, time.Since(start))
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 1 {
		t.Errorf("pending = %v, want the PDF kept", pend)
	}
}

// TestAcceptedWithoutJobID: lp exits 0 but names no job (a silent or
// oddly localised lp). CUPS has the job, so it is not kept for a retry
// that would print it twice.
func TestAcceptedWithoutJobID(t *testing.T) {
	f := newFakeCUPS(t)
	quiet := filepath.Join(f.dir, "quiet-lp")
	if err := os.WriteFile(quiet, []byte("#!/bin/sh\necho 'job queued'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := cups.New(cups.Config{LP: quiet, SpoolDir: t.TempDir(), Now: fixedNow})
	job, err := p.PrintPDF(t.Context(), "x", samplePDF)
	if err != nil || job != "" {
		t.Fatalf("PrintPDF = %q, %v; want \"\", nil", job, err)
	}
	if pend, _ := p.Pending(t.Context()); len(pend) != 0 {
		t.Errorf("pending = %v, want none", pend)
	}
}

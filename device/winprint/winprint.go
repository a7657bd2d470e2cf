// Package winprint prints PDF documents on Windows by handing them to
// SumatraPDF (shipped next to the kiosk by the Windows installer):
//
//	SumatraPDF.exe -print-to PRINTER -print-settings noscale,paper=A4 -silent FILE
//
// Windows has no command-line PDF printing of its own, and the spooler's
// RAW path (OpenPrinter/WritePrinter) only suits printers that take PDF
// directly. SumatraPDF renders the page itself and, with "noscale",
// prints it at its actual size, so the QR code keeps its 0.5 mm modules
// (the Linux path's lp -o print-scaling=none). "-print-to-default" is
// used when no printer is named.
//
// Submit plugs into device/cups as Config.Submit, so a document is kept in
// the same spool until SumatraPDF accepted it and can be retried. The
// package is pure Go and builds on every OS (tests run a fake SumatraPDF
// on Linux); only hiding the console window is Windows-specific
// (exec_windows.go).
package winprint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Exe is SumatraPDF's file name.
const Exe = "SumatraPDF.exe"

// PrintSettings are passed with -print-settings: actual size on A4.
const PrintSettings = "noscale,paper=A4"

// commandTimeout bounds one print when ctx has no earlier deadline.
const commandTimeout = 2 * time.Minute

// Sumatra submits PDFs through SumatraPDF.
type Sumatra struct {
	// Path of SumatraPDF; "" looks for SumatraPDF.exe next to the running
	// executable, then in PATH.
	Path string
}

// Args builds SumatraPDF's arguments, one element per argument (no shell
// ever sees the printer name or the path).
func Args(printer, file string) []string {
	args := []string{"-print-to-default"}
	if printer != "" {
		args = []string{"-print-to", printer}
	}
	return append(args, "-print-settings", PrintSettings, "-silent", file)
}

// Submit prints file on printer ("" = the Windows default printer); it is
// device/cups Config.Submit. SumatraPDF gives no job id, so the id is "".
// A SumatraPDF that cannot be found or fails is an EUNAVAILABLE
// *credit.Error saying the report was kept.
func (s Sumatra) Submit(ctx context.Context, printer, _ string, file string) (string, error) {
	exe, err := s.find()
	if err != nil {
		return "", fmt.Errorf("winprint: %w: %w", errNoSumatra(), err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, commandTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, exe, Args(printer, file)...)
	cmd.WaitDelay = 2 * time.Second
	hideWindow(cmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if isMissing(err) {
			return "", fmt.Errorf("winprint: %w: %w", errNoSumatra(), err)
		}
		return "", fmt.Errorf("winprint: %w: %s: %w", errPrint(), firstLine(out.String()), err)
	}
	return "", nil
}

// find locates SumatraPDF.
func (s Sumatra) find() (string, error) {
	if s.Path != "" {
		return s.Path, nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), Exe)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return exec.LookPath(Exe)
}

func isMissing(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
}

func errNoSumatra() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "未安装打印程序 SumatraPDF，请联系工作人员。报告已保存，可稍后重新打印。",
		"The print program SumatraPDF is not installed. Please ask a member of staff. The report is kept and can be printed again later.")
}

func errPrint() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "打印失败，请检查打印机后重试或联系工作人员。报告已保存，可稍后重新打印。",
		"Printing failed. Check the printer and try again, or ask a member of staff. The report is kept and can be printed again later.")
}

// firstLine is the first line of a program's output for the error, at
// most 200 bytes.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "")
	}
	if s == "" {
		return "no message"
	}
	return s
}

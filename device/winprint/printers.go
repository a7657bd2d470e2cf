package winprint

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// listCommand prints one installed printer's name a line (Windows 8 and
// later; the PrintManagement module ships with Windows).
const listCommand = "Get-Printer | ForEach-Object { $_.Name }"

// listTimeout bounds the listing when ctx has no earlier deadline.
const listTimeout = 20 * time.Second

// Lister lists the Windows printers for the printer choice in settings.
type Lister struct {
	// PowerShell is the program run; "" is powershell.exe from PATH.
	PowerShell string
}

// Printers runs `powershell -NoProfile -NonInteractive -Command
// Get-Printer` and returns the printer names, one per non-empty line. A
// PowerShell that cannot be run or fails is an EUNAVAILABLE
// *credit.Error.
func (l Lister) Printers(ctx context.Context) ([]string, error) {
	exe := l.PowerShell
	if exe == "" {
		exe = "powershell.exe"
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, listTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, exe, "-NoProfile", "-NonInteractive", "-Command", listCommand)
	cmd.WaitDelay = 2 * time.Second
	hideWindow(cmd)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("winprint: list printers: %w: %s: %w", credit.Errorf(credit.EUNAVAILABLE,
			"无法读取本机的打印机列表。", "The list of printers cannot be read."), firstLine(errb.String()), err)
	}
	return parseNames(out.String()), nil
}

// parseNames returns the non-empty lines of s, trimmed (PowerShell ends
// lines with CRLF), without control characters.
func parseNames(s string) []string {
	var names []string
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" || strings.ContainsFunc(line, func(r rune) bool { return r < ' ' || r == 0x7F }) {
			continue
		}
		names = append(names, line)
	}
	return names
}

package cups

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// maxTitleBytes is the longest job title passed to lp: IPP's job-name is
// a name(MAX) of at most 255 octets.
const maxTitleBytes = 255

// lpArgs builds lp's arguments: one element per argument, so nothing in
// the title or the path is ever interpreted by a shell; "--" ends the
// options before the file.
func lpArgs(printer, title, file string) []string {
	var args []string
	if printer != "" {
		args = append(args, "-d", printer)
	}
	if title != "" {
		args = append(args, "-t", title)
	}
	return append(args, "-o", "print-scaling=none", "-o", "media=A4", "--", file)
}

// CleanTitle makes a job title safe to show in a print queue: control
// characters (newlines, tabs, ESC, DEL, C1 controls), invalid UTF-8 and
// Unicode format characters (bidi overrides) become spaces, runs of
// spaces collapse, the ends are trimmed, and the result is cut to 255
// bytes on a character boundary. Quotes, semicolons and the like are
// kept: lp gets the title as one argument, with no shell in between.
func CleanTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > maxTitleBytes {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// run runs name with args (no shell) in the C.UTF-8 locale, so CUPS's
// messages are in English, and returns its standard output and error.
func (p *Printer) run(ctx context.Context, name string, args ...string) (stdout, stderr string, err error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, commandTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8")
	cmd.WaitDelay = 2 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if err != nil {
		err = fmt.Errorf("run %s: %w", name, err)
	}
	return out.String(), errb.String(), err
}

// lpMissing reports whether err says the program itself was not found.
func lpMissing(err error) bool {
	return errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
}

// errLP turns what lp printed on standard error into the message the
// person at the terminal sees. Every message says the report was kept.
func errLP(stderr string) *credit.Error {
	const keptZH, keptEN = "报告已保存，可稍后重新打印。", " The report is kept and can be printed again later."
	s := strings.ToLower(stderr)
	switch {
	case strings.Contains(s, "does not exist") || strings.Contains(s, "invalid destination") ||
		strings.Contains(s, "not found") && strings.Contains(s, "printer"):
		return credit.Errorf(credit.EUNAVAILABLE, "找不到设置的打印机，请联系工作人员。"+keptZH,
			"The configured printer does not exist. Please ask a member of staff."+keptEN)
	case strings.Contains(s, "no default destination") || strings.Contains(s, "no destinations added"):
		return credit.Errorf(credit.EUNAVAILABLE, "未设置打印机，请联系工作人员。"+keptZH,
			"No printer is set up. Please ask a member of staff."+keptEN)
	case strings.Contains(s, "not accepting"):
		return credit.Errorf(credit.EUNAVAILABLE, "打印机暂停接收任务，请联系工作人员。"+keptZH,
			"The printer is not accepting jobs. Please ask a member of staff."+keptEN)
	case strings.Contains(s, "scheduler not responding") || strings.Contains(s, "unable to connect") ||
		strings.Contains(s, "connection refused") || strings.Contains(s, "bad file descriptor") ||
		strings.Contains(s, "no such file or directory") && strings.Contains(s, "cups"):
		return credit.Errorf(credit.EUNAVAILABLE, "打印服务（CUPS）未运行，请联系工作人员。"+keptZH,
			"The print service (CUPS) is not running. Please ask a member of staff."+keptEN)
	case strings.Contains(s, "forbidden") || strings.Contains(s, "not authorized") || strings.Contains(s, "permission"):
		return credit.Errorf(credit.EUNAVAILABLE, "无权使用打印机，请联系工作人员。"+keptZH,
			"Printing is not permitted for this terminal. Please ask a member of staff."+keptEN)
	}
	return credit.Errorf(credit.EUNAVAILABLE, "打印失败，请联系工作人员。"+keptZH,
		"Printing failed. Please ask a member of staff."+keptEN)
}

// errNoLP is errLP for an lp (or lpstat) that is not installed.
func errNoLP(prog string) *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "未安装打印程序 %s（cups-client），请联系工作人员。报告已保存，可稍后重新打印。",
		"The print program %s (package cups-client) is not installed. Please ask a member of staff. The report is kept and can be printed again later.",
		prog)
}

// summary is the first line of stderr for the log: at most 200 bytes,
// control characters removed, and the job title (which may name a
// person) replaced by "<title>".
func summary(stderr, title string) string {
	line := strings.TrimSpace(stderr)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = CleanTitle(line)
	if title != "" {
		line = strings.ReplaceAll(line, title, "<title>")
	}
	if len(line) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "…"
	}
	if line == "" {
		return "no message"
	}
	return line
}

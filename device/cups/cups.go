// Package cups prints PDF documents (A4 credit reports) through CUPS by
// running its command-line clients: lp to submit, lpstat to watch the
// queue and list printers. It implements the app's DocumentPrinter port.
//
// Every document is first written to a spool directory and only then
// handed to lp, so a job lp refuses (printer missing, CUPS not running,
// queue stopped) is not lost: it stays in the spool, Pending lists it and
// Retry submits it again. The spooled file is deleted as soon as lp has
// accepted the job, because CUPS copies the document into its own spool
// (/var/spool/cups) on submission; from then on the job survives a
// restart of this program, and Status follows it with lpstat.
//
// Commands are run with exec.CommandContext, never through a shell; the
// title is a separate argument with control characters removed. Jobs are
// submitted with -o print-scaling=none and -o media=A4, so a QR code
// prints at its designed size (modules ≥ 0.5 mm) instead of being shrunk
// to fit the page.
package cups

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// commandTimeout bounds one run of lp or lpstat when ctx has no earlier
// deadline: a hung scheduler must not hang the kiosk.
const commandTimeout = 30 * time.Second

// Config describes the CUPS destination and the spool.
type Config struct {
	Printer  string // CUPS destination (queue) name; "" = the system default
	LP       string // the lp program; default "lp" (looked up in PATH)
	LPStat   string // the lpstat program; default "lpstat"
	SpoolDir string // where PDFs wait until lp accepts them; default <user cache dir>/credit/print-spool
	// Now stamps spooled jobs; default time.Now.
	Now func() time.Time
	// Logger receives the print log (spool id, destination, job id; never
	// titles or document content); default discards.
	Logger *slog.Logger
	// Submit, when set, hands a spooled PDF to the print system instead
	// of lp: device/winprint's SumatraPDF path on Windows. The spool,
	// Pending, Retry and Discard work the same. It returns the print
	// system's job id ("" when it has none) or an EUNAVAILABLE
	// *credit.Error for the person at the terminal.
	Submit func(ctx context.Context, printer, title, file string) (jobID string, err error)
}

// Printer submits PDFs to one CUPS destination. It is safe for
// concurrent use; submissions are made one at a time, so a spooled job
// is never submitted twice by concurrent retries.
type Printer struct {
	cfg Config
	mu  sync.Mutex
}

// New returns a Printer for cfg. It does no I/O: the spool directory is
// created on the first PrintPDF, and a missing lp is reported then.
func New(cfg Config) *Printer {
	if cfg.LP == "" {
		cfg.LP = "lp"
	}
	if cfg.LPStat == "" {
		cfg.LPStat = "lpstat"
	}
	if cfg.SpoolDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		cfg.SpoolDir = filepath.Join(dir, "credit", "print-spool")
	}
	if abs, err := filepath.Abs(cfg.SpoolDir); err == nil {
		cfg.SpoolDir = abs
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Printer{cfg: cfg}
}

// Config returns the configuration with defaults filled in.
func (p *Printer) Config() Config { return p.cfg }

// PrintPDF spools pdf under the job title (control characters removed)
// and submits it with
//
//	lp [-d PRINTER] -t TITLE -o print-scaling=none -o media=A4 -- FILE
//
// returning CUPS's job id (e.g. "PRN-123"; "" in the rare case lp exits 0
// with an answer that names no job: the job was accepted). A document that is not a PDF
// is EINVALID and not spooled. If lp cannot be run or refuses the job,
// the error is an EUNAVAILABLE *credit.Error saying why in words for the
// person at the terminal (printer missing, print service not running,
// lp not installed…) and that the report was kept; the PDF stays in the
// spool for Pending and Retry, and KeptID(err) names it.
func (p *Printer) PrintPDF(ctx context.Context, title string, pdf []byte) (string, error) {
	if len(pdf) < 5 || string(pdf[:5]) != "%PDF-" {
		return "", fmt.Errorf("cups: print: %w", credit.Errorf(credit.EINVALID,
			"要打印的文件不是 PDF。", "The document to print is not a PDF."))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	job, err := p.spool(title, pdf)
	if err != nil {
		return "", err
	}
	return p.submit(ctx, job)
}

// Retry submits the spooled job id again (to the printer configured now,
// which may have been changed since the first attempt) and returns the
// CUPS job id. An unknown id is ENOTFOUND; failures are as for PrintPDF.
func (p *Printer) Retry(ctx context.Context, id string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	job, err := p.load(id)
	if err != nil {
		return "", err
	}
	return p.submit(ctx, job)
}

// submit runs lp for job; on success it deletes the spooled files, on
// failure it records the attempt. p.mu is held.
func (p *Printer) submit(ctx context.Context, job Spooled) (string, error) {
	job.Attempts++
	var jobID string
	var err error
	if p.cfg.Submit != nil {
		jobID, err = p.cfg.Submit(ctx, p.cfg.Printer, job.Title, p.pdfPath(job.ID))
	} else {
		jobID, err = p.submitLP(ctx, job)
	}
	if err != nil {
		job.LastError = credit.ErrorMessageEN(err)
		job.LastTry = p.cfg.Now()
		if werr := p.writeMeta(job); werr != nil {
			p.cfg.Logger.WarnContext(ctx, "print spool: cannot record the failed attempt", "spool_id", job.ID, "err", werr)
		}
		p.cfg.Logger.WarnContext(ctx, "print job refused; document kept in the spool",
			"spool_id", job.ID, "printer", p.cfg.Printer, "attempts", job.Attempts, "err", err)
		return "", &KeptError{ID: job.ID, Err: fmt.Errorf("cups: print %s: %w", job.ID, err)}
	}
	if rerr := p.remove(job.ID); rerr != nil {
		p.cfg.Logger.WarnContext(ctx, "print spool: cannot delete a printed document", "spool_id", job.ID, "err", rerr)
	}
	p.cfg.Logger.InfoContext(ctx, "print job accepted", "spool_id", job.ID, "printer", p.cfg.Printer,
		"job", jobID, "attempts", job.Attempts, "at", p.cfg.Now())
	return jobID, nil
}

// submitLP runs lp for job.
func (p *Printer) submitLP(ctx context.Context, job Spooled) (string, error) {
	out, stderr, err := p.run(ctx, p.cfg.LP, lpArgs(p.cfg.Printer, job.Title, p.pdfPath(job.ID))...)
	switch {
	case err == nil:
		// lp exited 0: CUPS has the job. An answer we cannot read does
		// not make it a failure (a retry would print the report twice).
		jobID, perr := ParseJobID(out)
		if perr != nil {
			p.cfg.Logger.WarnContext(ctx, "print job accepted without a readable job id",
				"spool_id", job.ID, "answer", summary(out, job.Title))
		}
		return jobID, nil
	case lpMissing(err):
		return "", fmt.Errorf("%w: %w", errNoLP(p.cfg.LP), err)
	}
	return "", fmt.Errorf("%w: %s: %w", errLP(stderr), summary(stderr, job.Title), err)
}

// KeptError is the error of a submission lp refused: the document is
// still in the spool under ID, for Retry or Discard. Unwrap gives the
// EUNAVAILABLE *credit.Error and the cause.
type KeptError struct {
	ID  string
	Err error
}

func (e *KeptError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *KeptError) Unwrap() error { return e.Err }

// KeptID returns the spool id of the document a failed PrintPDF or Retry
// kept, and whether err says one was kept.
func KeptID(err error) (string, bool) {
	var k *KeptError
	if errors.As(err, &k) {
		return k.ID, true
	}
	return "", false
}

// Package printing wires what the kiosk and the office print with: the
// A4 printer (CUPS's lp on Linux, SumatraPDF on Windows through
// device/winprint, both behind device/cups's spool) chosen in the office
// settings at each print, and the device signing key, which signs only
// while the synced trust list allows it (devicesync.Trust.Signer).
package printing

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/device/cups"
	"github.com/gansu-credit/credit/device/winprint"
)

// Submit hands a spooled PDF to the print system (device/cups
// Config.Submit); nil runs lp.
type Submit = func(ctx context.Context, printer, title, file string) (jobID string, err error)

// A4 returns the A4 printer for dest ("" or "default": the system
// default), spooling into spoolDir. submit nil is this OS's way
// (winprint.Submitter: SumatraPDF on Windows, lp elsewhere).
func A4(dest, spoolDir string, submit Submit, now func() time.Time, log *slog.Logger) *cups.Printer {
	if dest == "default" {
		dest = ""
	}
	if submit == nil {
		submit = winprint.Submitter()
	}
	return cups.New(cups.Config{Printer: dest, SpoolDir: spoolDir, Now: now, Logger: log, Submit: submit})
}

// Chosen is an A4 printer (app.DocumentPrinter) whose destination is read
// at each print, so a printer chosen in the office settings takes effect
// at once. A document the print system refuses stays in the spool; a
// document with the same title printed again (the clerk's "print again")
// resubmits the kept file instead of spooling a second copy, so the
// spool keeps one copy until it prints — also after a restart, as the
// documents kept in the spool are found by title at the first print. It
// is safe for concurrent use.
type Chosen struct {
	Dest     func(ctx context.Context) (string, error) // the chosen printer; "" the system default
	SpoolDir string
	Submit   Submit // nil: this OS's way
	Now      func() time.Time
	Logger   *slog.Logger

	mu   sync.Mutex
	kept map[string]string // title → spool id of a refused document
}

// PrintPDF prints pdf on the chosen printer, or resubmits the kept
// document of the same title.
func (c *Chosen) PrintPDF(ctx context.Context, title string, pdf []byte) (string, error) {
	dest, err := c.Dest(ctx)
	if err != nil {
		return "", fmt.Errorf("printing: chosen printer: %w", err)
	}
	p := A4(dest, c.SpoolDir, c.Submit, c.Now, c.Logger)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = map[string]string{}
		pending, err := p.Pending(ctx)
		if err != nil && c.Logger != nil {
			c.Logger.WarnContext(ctx, "print spool unreadable; kept documents not resumed", "err", err)
		}
		for _, j := range pending { // oldest first: the newest of a title wins
			c.kept[j.Title] = j.ID
		}
	}
	title = cups.CleanTitle(title)
	if id, ok := c.kept[title]; ok {
		job, err := p.Retry(ctx, id)
		switch {
		case err == nil:
			delete(c.kept, title)
			return job, nil
		case credit.ErrorCode(err) != credit.ENOTFOUND:
			return "", err // still kept
		}
		delete(c.kept, title) // no longer in the spool: spool it again
	}
	job, err := p.PrintPDF(ctx, title, pdf)
	if id, ok := cups.KeptID(err); ok {
		c.kept[title] = id
	}
	return job, err
}

// Signer loads the device signing key at path (created 0600 when
// missing). With trust, the key signs only while the held trust list
// lets it (not listed, retired, compromised or outside its window: an
// EUNAUTHORIZED refusal); without, it signs freely. pub is the key's
// public half, for the device's own verification keys.
func Signer(path string, trust *devicesync.Trust, now func() time.Time) (crypto.Signer, ed25519.PublicKey, error) {
	priv, err := report.LoadOrCreateKey(path)
	if err != nil {
		return nil, nil, fmt.Errorf("printing: signing key: %w", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	if trust == nil {
		return priv, pub, nil
	}
	return trust.Signer(priv, now), pub, nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/cmd/internal/printing"
	"github.com/gansu-credit/credit/device/escpos"
)

// printerNone on --printer means: no A4 printer, whatever the settings say.
const printerNone = "none"

// PrintConfig is the office's printing configuration. The A4 printer is
// the one chosen in Settings unless --printer names one.
type PrintConfig struct {
	Printer        string // A4 printer; "" = the Settings choice (the system default when none), "none" = no A4 printer
	ReceiptPrinter string // ESC/POS receipt printer device file; "" = none
	ReceiptWidth   int    // 58 (default) or 80 mm
	SignKey        string // signing key; "" = the --db path plus .sign.key
	Office         string // issuing office printed on receipts and reports
	Region         string // 6-digit region code in report numbers
	DevCode        string // 2-character device code in report numbers
}

// printFlags registers the printing flags on fs.
func printFlags(fs *flag.FlagSet, c *PrintConfig) {
	fs.StringVar(&c.Printer, "printer", c.Printer, "A4 printer for reports and receipts (CUPS queue, or Windows printer name); default: the printer chosen in Settings; \"none\": no A4 printer")
	fs.StringVar(&c.ReceiptPrinter, "printer-receipt", c.ReceiptPrinter, "ESC/POS receipt printer device file (/dev/usb/lp0) for application receipts (optional)")
	fs.IntVar(&c.ReceiptWidth, "printer-receipt-width", c.ReceiptWidth, "receipt paper width in mm: 58 or 80 (default 58)")
	fs.StringVar(&c.SignKey, "key", c.SignKey, "signing key of printed reports and receipts (PEM Ed25519; default: the --db path plus .sign.key, created 0600)")
	fs.StringVar(&c.Office, "office", c.Office, "issuing office printed on reports and receipts")
	fs.StringVar(&c.Region, "region", c.Region, "6-digit region code in report numbers (default 620000)")
	fs.StringVar(&c.DevCode, "device-code", c.DevCode, "2-character device code in report numbers")
}

// check validates the printing flags.
func (c PrintConfig) check() error {
	if c.ReceiptWidth != 0 && c.ReceiptWidth != 58 && c.ReceiptWidth != 80 {
		return fmt.Errorf("--printer-receipt-width must be 58 or 80, not %d", c.ReceiptWidth)
	}
	return nil
}

// openPrinting fills the printing and verification parts of deps (the
// service the office prints through): the A4 printer chosen in Settings,
// the receipt printer, the signing key — which signs only while the
// synced trust list allows it — and the keys printed codes are checked
// against (the synced trust list with --root-pub, else this office's own
// key). A key that cannot be read is logged and left out: the office then
// says it cannot print verifiable documents, and serves the rest.
func (m *Main) openPrinting(deps *creditapp.Deps) {
	c := m.Config.Print
	deps.Office, deps.Region, deps.DevCode, deps.Reports = c.Office, c.Region, c.DevCode, m.db
	if deps.DevCode == "" {
		deps.DevCode = "O1"
	}
	keyPath := c.SignKey
	if keyPath == "" {
		keyPath = m.Config.DB + ".sign.key"
	}
	signer, pub, err := printing.Signer(keyPath, m.trust, m.Now)
	if err != nil {
		m.Logger.Error("signing key unusable; nothing verifiable can be printed", "path", keyPath, "err", err)
	} else {
		deps.Signer = signer
	}
	if m.trust != nil {
		deps.TrustedKeys = m.trust.KeySet
	} else if pub != nil {
		deps.Trusted.Add(pub, c.Office)
	}
	if c.Printer != printerNone {
		deps.Documents = &printing.Chosen{Dest: m.chosenPrinter, SpoolDir: filepath.Join(filepath.Dir(m.Config.DB), "print-spool"),
			Submit: m.submit, Now: m.Now, Logger: m.Logger}
	}
	if c.ReceiptPrinter != "" {
		cfg := escpos.Config{Width: escpos.Paper58, Logger: m.Logger}
		if c.ReceiptWidth == 80 {
			cfg.Width = escpos.Paper80
		}
		deps.Slips = escpos.NewSlipPrinter(escpos.DeviceOpener(c.ReceiptPrinter), cfg)
	}
	if deps.Signer != nil && m.Config.Server != "" {
		deps.Registry = devicesync.Registry{Store: m.db} // sent by the sync loop
	}
}

// chosenPrinter is --printer, else the printer saved in Settings.
func (m *Main) chosenPrinter(ctx context.Context) (string, error) {
	if m.Config.Print.Printer != "" {
		return m.Config.Print.Printer, nil
	}
	s, err := m.db.Settings(ctx)
	if err != nil {
		return "", err
	}
	return s[creditapp.SettingPrinter], nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/cmd/internal/printing"
	"github.com/gansu-credit/credit/device/escpos"
)

// PrintConfig is the kiosk's printing and verification configuration.
type PrintConfig struct {
	ReceiptPrinter string // ESC/POS device (/dev/usb/lp0) or serial port; "" = none
	ReceiptBaud    int    // > 0: ReceiptPrinter is a serial port at this speed
	ReceiptWidth   int    // paper width in mm: 58 (default) or 80
	ReceiptChinese bool   // send FS & (Chinese mode on) after ESC @
	ReceiptNative  bool   // print QR codes with GS ( k instead of a raster image
	Printer        string // CUPS destination for A4; "" = none, "default" = the system default
	SignKey        string // report/receipt signing key; "" = the --db path plus .sign.key
	Office         string // printed as the issuing office
	Region         string // 6-digit region code in report numbers
	DevCode        string // 2-character device code in report numbers
	Trust, RootPub string // signed trust list file and the root key(s) it and synced lists must be signed by
	Keys           string // or a plain key file (office / public key lines)
}

// printFlags registers the printing flags on fs.
func printFlags(fs *flag.FlagSet, c *PrintConfig) {
	fs.StringVar(&c.ReceiptPrinter, "printer-receipt", c.ReceiptPrinter, "ESC/POS receipt printer: device file (/dev/usb/lp0) or, with --printer-receipt-baud, a serial port (optional)")
	fs.IntVar(&c.ReceiptBaud, "printer-receipt-baud", c.ReceiptBaud, "serial speed of the receipt printer (0: --printer-receipt is a device file)")
	fs.IntVar(&c.ReceiptWidth, "printer-receipt-width", c.ReceiptWidth, "receipt paper width in mm: 58 or 80 (default 58)")
	fs.BoolVar(&c.ReceiptChinese, "printer-receipt-chinese", c.ReceiptChinese, "switch the receipt printer to Chinese mode (FS &) before each slip; use when Chinese prints as garbage")
	fs.BoolVar(&c.ReceiptNative, "printer-receipt-native-qr", c.ReceiptNative, "let the receipt printer draw QR codes itself (GS ( k) instead of sending an image")
	fs.StringVar(&c.Printer, "printer", c.Printer, "A4 printer for reports and receipts: a CUPS queue on Linux, a Windows printer name on Windows (\"default\": the system default; empty: none)")
	fs.StringVar(&c.SignKey, "key", c.SignKey, "signing key of printed reports and receipts (PEM Ed25519; default: the --db path plus .sign.key, created 0600)")
	fs.StringVar(&c.Office, "office", c.Office, "issuing office printed on reports and receipts")
	fs.StringVar(&c.Region, "region", c.Region, "6-digit region code in report numbers (default 620000)")
	fs.StringVar(&c.DevCode, "device-code", c.DevCode, "2-character device code in report numbers (default K1)")
	fs.StringVar(&c.Trust, "trust", c.Trust, "signed trust list for checking printed codes (with --root-pub); a newer one from sync replaces it")
	fs.StringVar(&c.RootPub, "root-pub", c.RootPub, "root public key(s) trust lists must be signed by: the --trust file and the lists sync brings")
	fs.StringVar(&c.Keys, "keys", c.Keys, "plain key file of trusted report keys (instead of --trust)")
}

// check validates the printing flags.
func (c PrintConfig) check() error {
	switch {
	case c.ReceiptWidth != 0 && c.ReceiptWidth != 58 && c.ReceiptWidth != 80:
		return fmt.Errorf("--printer-receipt-width must be 58 or 80, not %d", c.ReceiptWidth)
	case c.ReceiptBaud < 0:
		return errors.New("--printer-receipt-baud must not be negative")
	case c.Trust != "" && c.RootPub == "":
		return errors.New("--trust needs --root-pub (the root keys it is signed by)")
	case c.Trust != "" && c.Keys != "":
		return errors.New("give --trust/--root-pub or --keys, not both")
	}
	return nil
}

// signKeyPath is where the signing key lives.
func (m *Main) signKeyPath() string {
	if m.Config.Print.SignKey != "" {
		return m.Config.Print.SignKey
	}
	return m.Config.DB + ".sign.key"
}

// openPrinting fills the printing and verification parts of deps. A key
// or key set that cannot be read is logged and left out: the kiosk then
// says it cannot print signed documents or check codes, and serves the
// rest.
func (m *Main) openPrinting(ctx context.Context, deps *creditapp.Deps) {
	c := m.Config.Print
	deps.Office, deps.Region, deps.DevCode = c.Office, c.Region, c.DevCode
	deps.Reports, deps.Lookup = m.db, m.db

	// The key as printing.Signer loads it (created 0600 when missing), as
	// in the office; openTrust (trust.go) then lets it sign only while the
	// held trust list allows it, once the list is open.
	signer, pub, err := printing.Signer(m.signKeyPath(), nil, m.Now)
	if err != nil {
		m.Logger.Error("signing key unusable; nothing verifiable can be printed", "path", m.signKeyPath(), "err", err)
	} else {
		deps.Signer = signer
	}

	if c.ReceiptPrinter != "" {
		open := escpos.DeviceOpener(c.ReceiptPrinter)
		if c.ReceiptBaud > 0 {
			open = escpos.SerialOpener(c.ReceiptPrinter, c.ReceiptBaud)
		}
		cfg := escpos.Config{Width: escpos.Paper58, Logger: m.Logger}
		if c.ReceiptWidth == 80 {
			cfg.Width = escpos.Paper80
		}
		if c.ReceiptChinese {
			cfg.Chinese = escpos.ChineseOn
		}
		cfg.NativeQR = c.ReceiptNative
		deps.Slips = escpos.NewSlipPrinter(open, cfg)
	}
	if c.Printer != "" {
		// Linux: lp through CUPS; Windows: SumatraPDF (device/winprint).
		deps.Documents = printing.A4(c.Printer, filepath.Join(filepath.Dir(m.Config.DB), "print-spool"), nil, m.Now, m.Logger)
	}

	m.openTrust(ctx, deps, pub)
	if deps.Signer != nil && m.Config.Server != "" {
		deps.Registry = devicesync.Registry{Store: m.db} // sent by the sync loop
	}
}

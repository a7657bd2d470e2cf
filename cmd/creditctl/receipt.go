package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "receipt",
		usage: "--db PATH --application UUID --key FILE --out FILE.pdf — print the QR-verifiable receipt of an objection or restoration application",
		run:   runReceipt,
	})
}

// receiptFlags are the options of creditctl receipt.
type receiptFlags struct {
	db, application, key, out, office, qrOut string
	trust, rootPub                           string
	validity                                 time.Duration
}

func runReceipt(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f receiptFlags
	fs := flag.NewFlagSet("receipt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.db, "db", "", "local store (SQLite file)")
	fs.StringVar(&f.application, "application", "", "application id (UUID) of the objection or restoration")
	fs.StringVar(&f.key, "key", "", "device signing key (PEM PKCS#8 Ed25519; created with mode 0600 if missing)")
	fs.StringVar(&f.out, "out", "", "PDF file to write")
	fs.StringVar(&f.office, "office", "", "receiving office, printed on the receipt")
	fs.StringVar(&f.qrOut, "qr-out", "", "also write the QR code as a PNG")
	fs.DurationVar(&f.validity, "validity", 365*24*time.Hour, "how long the receipt's QR stays valid")
	fs.StringVar(&f.trust, "trust", "", "signed trust list: refuse to sign unless this device's key is active in it (with --root-pub)")
	fs.StringVar(&f.rootPub, "root-pub", "", "root public key(s) the trust list must be signed by")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if f.db == "" || f.application == "" || f.key == "" || f.out == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: creditctl receipt --db PATH --application UUID --key device.key --out receipt.pdf [--office NAME] [--validity 8760h] [--qr-out qr.png] [--trust list.tl --root-pub root.pub]")
		return 2
	}
	if err := issueReceipt(ctx, f, stdout, stderr); err != nil {
		return failed(stderr, "receipt", err)
	}
	return 0
}

func issueReceipt(ctx context.Context, f receiptFlags, stdout, stderr io.Writer) error {
	id := strings.ToLower(strings.TrimSpace(f.application))
	priv, err := report.LoadOrCreateKey(f.key)
	if err != nil {
		return fmt.Errorf("load signing key: %w", err)
	}
	at := now()
	if err := checkSigner(f.trust, f.rootPub, priv.Public().(ed25519.PublicKey), at); err != nil {
		return err
	}
	if _, err := os.Stat(f.db); err != nil {
		return credit.Errorf(credit.ENOTFOUND, "找不到本地数据库。", "The local store %s cannot be opened: %v", f.db, err)
	}
	db, err := store.Open(ctx, f.db)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer db.Close()

	rc, err := loadReceipt(ctx, db, id)
	if err != nil {
		return err
	}
	if rc.Provisional, err = receiptProvisional(ctx, db, rc); err != nil {
		return err
	}
	rc.IssuedAt, rc.Office = at, f.office
	out, err := report.RenderReceipt(rc, priv, f.validity)
	if err != nil {
		return err
	}
	if err := os.WriteFile(f.out, out.PDF, 0o644); err != nil {
		return fmt.Errorf("write receipt: %w", err)
	}
	if f.qrOut != "" {
		if err := writeQRPNG(f.qrOut, out.Signed.Text); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "application_no\t%s\n", rc.No)
	fmt.Fprintf(stdout, "kind\t%s\n", rc.Kind)
	fmt.Fprintf(stdout, "provisional\t%t\n", rc.Provisional)
	fmt.Fprintf(stdout, "code\t%s\n", out.Signed.Code)
	fmt.Fprintf(stdout, "qr\t%s\n", out.Signed.Text)
	if len(out.MissingGlyphs) > 0 {
		fmt.Fprintf(stderr, "warning: the font lacks %U; printed as [U+XXXX] (字库缺字)\n", out.MissingGlyphs)
	}
	return nil
}

// loadReceipt finds the application (an objection, else a restoration)
// and the record it is about.
func loadReceipt(ctx context.Context, db *store.DB, id string) (report.Receipt, error) {
	var rc report.Receipt
	o, err := db.Objection(ctx, id)
	switch {
	case err == nil:
		rc = report.ObjectionReceipt(o, credit.Record{})
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		r, err := db.Restoration(ctx, id)
		if credit.ErrorCode(err) == credit.ENOTFOUND {
			return report.Receipt{}, credit.Errorf(credit.ENOTFOUND, "本地数据中没有该申请。", "No objection or restoration application %s in the local store.", id)
		}
		if err != nil {
			return report.Receipt{}, fmt.Errorf("read restoration: %w", err)
		}
		rc = report.RestorationReceipt(r, credit.Record{})
	default:
		return report.Receipt{}, fmt.Errorf("read objection: %w", err)
	}
	// The record may have left the cache since; the receipt then names it
	// by ID.
	recs, err := db.RecordsOf(ctx, rc.Subject.ID)
	if err != nil {
		return report.Receipt{}, fmt.Errorf("read records: %w", err)
	}
	for _, r := range recs {
		if r.ID == rc.Record.ID {
			rc.Record = r
		}
	}
	return rc, nil
}

// receiptProvisional reports whether the receipt's due dates are marked
// "（暂定）(provisional)" (issue #5), as the kiosk's receipts are: the
// store's deadline mark says they were last recounted over a year whose
// holiday notice was not out, or, counted now on the device's calendar
// (built-in notices plus the synced ones the store holds), they reach into
// such a year. The deadlines themselves are Art. 46 (objections) and
// Art. 47 (restoration).
func receiptProvisional(ctx context.Context, db *store.DB, rc report.Receipt) (bool, error) {
	marked, err := db.DeadlinesProvisional(ctx, rc.ApplicationID)
	if err != nil || marked {
		return marked, err
	}
	base, err := credit.ReadHolidayYears(assets.Holidays())
	if err != nil {
		return false, fmt.Errorf("read holiday notices: %w", err)
	}
	cal, err := db.Calendar(ctx, base, "")
	if err != nil {
		return false, fmt.Errorf("read calendar: %w", err)
	}
	d, ok := credit.ApplicationDues(cal, rc.Kind, rc.ReceivedAt)
	return ok && d.Provisional, nil
}

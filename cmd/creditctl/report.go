package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "report",
		usage: "--db PATH --subject ID --out FILE.pdf --key FILE [--operator ID --purpose P --auth-ref REF] — print a signed, QR-verifiable credit report (logged as an inquiry)",
		run:   runReport,
	})
}

// now is the clock of report and verify; tests replace it.
var now = time.Now

// reportFlags are the options of creditctl report.
type reportFlags struct {
	db, subject, out, key  string
	device, region, office string
	pubOut, qrOut          string
	trust, rootPub         string
	serial                 int
	validity, maxDataAge   time.Duration
	who                    inquirer
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f reportFlags
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.db, "db", "", "local store (SQLite file)")
	fs.StringVar(&f.subject, "subject", "", "resident ID number or USCC of the subject")
	fs.StringVar(&f.out, "out", "", "PDF file to write")
	fs.StringVar(&f.key, "key", "", "device signing key (PEM PKCS#8 Ed25519; created with mode 0600 if missing)")
	fs.StringVar(&f.device, "device", "01", "2-character device code in the report number")
	fs.StringVar(&f.region, "region", "620000", "6-digit region code of the issuing office")
	fs.StringVar(&f.office, "office", "", "issuing office, printed on the report and written to --pub-out")
	fs.StringVar(&f.pubOut, "pub-out", "", "append this device's public key to a verifier key file")
	fs.StringVar(&f.qrOut, "qr-out", "", "also write the QR code as a PNG")
	fs.IntVar(&f.serial, "serial", -1, "report serial 0-999999 (default: seconds since midnight, China time)")
	fs.DurationVar(&f.validity, "validity", 90*24*time.Hour, "how long the report's QR stays valid")
	fs.DurationVar(&f.maxDataAge, "max-data-age", 72*time.Hour, "data older than this is marked stale on the report")
	fs.StringVar(&f.trust, "trust", "", "signed trust list: refuse to sign unless this device's key is active in it (with --root-pub)")
	fs.StringVar(&f.rootPub, "root-pub", "", "root public key(s) the trust list must be signed by")
	f.who.flags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if f.db == "" || f.subject == "" || f.out == "" || f.key == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: creditctl report --db PATH --subject ID --out report.pdf --key device.key [--device CODE] [--region CODE] [--office NAME] [--pub-out keys.txt] [--qr-out qr.png] [--trust list.tl --root-pub root.pub] [--operator ID --purpose P --auth-ref REF]")
		return 2
	}
	if err := issueReport(ctx, f, stdout, stderr); err != nil {
		return failed(stderr, "report", err)
	}
	return 0
}

func issueReport(ctx context.Context, f reportFlags, stdout, stderr io.Writer) error {
	id, _, err := credit.ParseSubjectID(f.subject)
	if err != nil {
		return err
	}
	priv, err := report.LoadOrCreateKey(f.key)
	if err != nil {
		return fmt.Errorf("load signing key: %w", err)
	}
	if _, err := os.Stat(f.db); err != nil {
		return credit.Errorf(credit.ENOTFOUND, "找不到本地数据库。", "The local store %s cannot be opened: %v", f.db, err)
	}
	db, err := store.Open(ctx, f.db)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer db.Close()

	at := now()
	if err := checkSigner(f.trust, f.rootPub, priv.Public().(ed25519.PublicKey), at); err != nil {
		return err
	}
	serial := f.serial
	if serial < 0 {
		c := at.In(credit.China)
		serial = c.Hour()*3600 + c.Minute()*60 + c.Second()
	}
	no, err := report.MakeReportNo(f.region, f.device, at, serial)
	if err != nil {
		return err
	}
	// A printed report is an inquiry too (Art. 24): log it, under the
	// Art. 23 rules, before any record is read; the report then lists it.
	subj, err := db.Subject(ctx, id)
	if err != nil {
		return err
	}
	if err := f.who.log(ctx, db, subj, at); err != nil {
		return err
	}
	r, err := loadReport(ctx, db, db, id, at, f.maxDataAge)
	if err != nil {
		return err
	}
	r.ReportNo, r.Office = no, f.office

	out, err := report.Render(r, priv, f.validity)
	if err != nil {
		return err
	}
	if err := os.WriteFile(f.out, out.PDF, 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if f.qrOut != "" {
		if err := writeQRPNG(f.qrOut, out.Signed.Text); err != nil {
			return err
		}
	}
	if f.pubOut != "" {
		if err := report.AppendPublicKey(f.pubOut, priv.Public().(ed25519.PublicKey), f.office); err != nil {
			return fmt.Errorf("write public key: %w", err)
		}
	}
	fmt.Fprintf(stdout, "report_no\t%s\n", no)
	fmt.Fprintf(stdout, "pages\t%d\n", out.Pages)
	fmt.Fprintf(stdout, "code\t%s\n", out.Signed.Code)
	fmt.Fprintf(stdout, "qr_version\t%d\n", out.QRVersion)
	fmt.Fprintf(stdout, "qr\t%s\n", out.Signed.Text)
	if r.Stale {
		fmt.Fprintln(stderr, "warning: the local data is stale; the report says so (数据可能不是最新)")
	}
	if len(out.MissingGlyphs) > 0 {
		fmt.Fprintf(stderr, "warning: the font lacks %U; printed as [U+XXXX] (字库缺字)\n", out.MissingGlyphs)
	}
	return nil
}

// loadReport reads what the report shows from the local store
// (app.ReportData, as the kiosk and the office do); the data is stale when
// older than maxAge at the issue time.
func loadReport(ctx context.Context, recs app.Records, inq app.InquiryLog, id string, at time.Time, maxAge time.Duration) (report.Report, error) {
	subj, err := recs.Subject(ctx, id)
	if err != nil {
		if credit.ErrorCode(err) == credit.ENOTFOUND {
			return report.Report{}, credit.Errorf(credit.ENOTFOUND, "本地数据中没有该主体。", "The subject is not in the local store.")
		}
		return report.Report{}, fmt.Errorf("read subject: %w", err)
	}
	return app.ReportData(ctx, recs, inq, subj, at, at, maxAge)
}

func writeQRPNG(path, text string) error {
	q, err := report.EncodeQR(text)
	if err != nil {
		return err
	}
	png, err := q.PNG(-8)
	if err != nil {
		return fmt.Errorf("QR PNG: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("write QR PNG: %w", err)
	}
	return nil
}

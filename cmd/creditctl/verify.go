package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // --image accepts JPEG
	_ "image/png"  // and PNG
	"io"
	"os"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

func init() {
	register(command{
		name:  "verify",
		usage: "(--trust FILE --root-pub FILE | --keys FILE) [--at TIME] [--json] (TEXT | --image PNG/JPEG | --pdf FILE) — check a report's or receipt's QR; exit 0 valid, 10 expired, 20 altered, 21 unknown key, 22 key compromised, 23 key out of window, 24 not yet valid, 25 revoked, 30 malformed",
		run:   runVerify,
	})
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keysPath := fs.String("keys", "", "trusted public keys, one \"<kid hex> <base64 key> <office>\" per line (no key status)")
	trustPath := fs.String("trust", "", "signed trust list (from creditctl keys trust-list sign)")
	rootPub := fs.String("root-pub", "", "root public key(s) the trust list must be signed by (PEM)")
	imgPath := fs.String("image", "", "read the QR from a PNG or JPEG photo or scan")
	pdfPath := fs.String("pdf", "", "read the QR from page 1 of a report PDF (needs pdftoppm)")
	atStr := fs.String("at", "", "verify as of this time (RFC 3339) instead of now")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	sources := fs.NArg()
	if *imgPath != "" {
		sources++
	}
	if *pdfPath != "" {
		sources++
	}
	if sources != 1 || fs.NArg() > 1 {
		fmt.Fprintln(stderr, "usage: creditctl verify (--trust FILE --root-pub FILE | --keys FILE) [--at TIME] [--json] (TEXT | --image PNG/JPEG | --pdf FILE)")
		return 2
	}
	if (*trustPath == "") != (*rootPub == "") || (*trustPath != "" && *keysPath != "") {
		fmt.Fprintln(stderr, "creditctl verify: --trust and --root-pub go together, and replace --keys")
		return 2
	}
	at := now()
	if *atStr != "" {
		t, err := time.Parse(time.RFC3339, *atStr)
		if err != nil {
			fmt.Fprintf(stderr, "creditctl verify: --at %q is not an RFC 3339 time\n", *atStr)
			return 2
		}
		at = t
	}
	var keys report.KeySet
	if *keysPath != "" {
		k, err := report.LoadKeySet(*keysPath)
		if err != nil {
			fmt.Fprintf(stderr, "creditctl verify: %v\n", err)
			return 2
		}
		keys = k
	}
	if *trustPath != "" {
		k, err := loadTrust(*trustPath, *rootPub)
		if err != nil {
			fmt.Fprintf(stderr, "creditctl verify: %v\n", err)
			return 2
		}
		keys = k
	}

	var text string
	switch {
	case *imgPath != "":
		img, err := readImage(*imgPath)
		if err != nil {
			fmt.Fprintf(stderr, "creditctl verify: %v\n", err)
			return 2
		}
		if text, err = report.DecodeQR(img); err != nil {
			return printMalformed(stdout, *asJSON, err)
		}
	case *pdfPath != "":
		img, err := report.RasterizePDFPage1(ctx, *pdfPath)
		if err != nil {
			fmt.Fprintf(stderr, "creditctl verify: %v\n", err)
			return 2
		}
		if text, err = report.DecodeQR(img); err != nil {
			return printMalformed(stdout, *asJSON, err)
		}
	default:
		text = strings.TrimSpace(fs.Arg(0))
	}
	res := report.Verify(text, keys, at)
	if *asJSON {
		printJSON(stdout, res)
	} else {
		printResult(stdout, res)
	}
	return res.ExitCode
}

// loadTrust reads a signed trust list and checks it against the root keys.
func loadTrust(listPath, rootPath string) (report.KeySet, error) {
	roots, err := readPublicKeys(rootPath)
	if err != nil {
		return report.KeySet{}, err
	}
	b, err := os.ReadFile(listPath)
	if err != nil {
		return report.KeySet{}, fmt.Errorf("read trust list: %w", err)
	}
	tl, err := report.LoadTrustList(b, roots, 0)
	if err != nil {
		return report.KeySet{}, fmt.Errorf("%s: %w", listPath, err)
	}
	return tl.KeySet(), nil
}

func readImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open image: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("read image %s (PNG or JPEG expected): %w", path, err)
	}
	return img, nil
}

// printMalformed reports an image in which no QR code could be read.
func printMalformed(w io.Writer, asJSON bool, err error) int {
	zh, en := report.StatusMalformed.Message()
	if asJSON {
		printJSON(w, report.Result{Status: report.StatusMalformed, ExitCode: report.StatusMalformed.ExitCode(), MessageZH: zh, MessageEN: en, Detail: err.Error()})
		return report.StatusMalformed.ExitCode()
	}
	fmt.Fprintf(w, "状态 Status\t%s\n%s  %s\n详情 Detail\t%v\n", report.StatusMalformed, zh, en, err)
	return report.StatusMalformed.ExitCode()
}

// printResult writes the verdict and, when the signature verified, the
// signed fields for comparison with the paper.
func printResult(w io.Writer, r report.Result) {
	fmt.Fprintf(w, "状态 Status\t%s\n", r.Status)
	fmt.Fprintf(w, "%s  %s\n", r.MessageZH, r.MessageEN)
	if r.Detail != "" {
		fmt.Fprintf(w, "详情 Detail\t%s\n", r.Detail)
	}
	for _, wr := range r.Warnings {
		fmt.Fprintf(w, "警告 Warning\t%s: %s  %s\n", wr.Code, wr.MessageZH, wr.MessageEN)
	}
	if r.TrustListSeq != 0 {
		fmt.Fprintf(w, "核验数据 Trust list\tseq %d, %s (UTC+8)\n", r.TrustListSeq, r.TrustListIssued.In(credit.China).Format("2006-01-02 15:04"))
	}
	if r.KID != "" {
		fmt.Fprintf(w, "密钥 Key ID\t%s\n", r.KID)
	}
	if r.Claims == nil && r.Office != "" {
		fmt.Fprintf(w, "签发机构 Office\t%s\n", r.Office)
	}
	c := r.Claims
	if c == nil {
		return
	}
	zh, en := c.Type.Label()
	fmt.Fprintln(w, "以下为签名内容，请与纸质文件核对 Signed fields — compare with the paper:")
	if info, ok := c.Receipt(); ok {
		printReceipt(w, r, info)
		return
	}
	fmt.Fprintf(w, "报告编号 Report No.\t%s\n", c.ReportID)
	fmt.Fprintf(w, "核验码 Code\t%s\n", r.Code)
	fmt.Fprintf(w, "报告类型 Type\t%s / %s\n", zh, en)
	fmt.Fprintf(w, "主体名称 Name\t%s\n", c.SubjectName)
	fmt.Fprintf(w, "证件号码 ID\t%s\n", c.SubjectIDDisplay)
	fmt.Fprintf(w, "出具时间 Issued\t%s (UTC+8)\n", c.IssuedAt.In(credit.China).Format("2006-01-02 15:04:05"))
	fmt.Fprintf(w, "有效期至 Expires\t%s (UTC+8)\n", c.Expires.In(credit.China).Format("2006-01-02 15:04:05"))
	fmt.Fprintf(w, "页数 Pages\t%d\n", c.Pages)
	var counts []string
	for i, n := range c.Summary {
		label := fmt.Sprintf("#%d", i)
		if i < len(credit.Categories) {
			label, _ = credit.Categories[i].Label()
		}
		counts = append(counts, fmt.Sprintf("%s %d", label, n))
	}
	fmt.Fprintf(w, "记录数 Records\t%s\n", strings.Join(counts, ", "))
	if r.Office != "" {
		fmt.Fprintf(w, "签发机构 Office\t%s\n", r.Office)
	}
	fmt.Fprintf(w, "内容摘要 Digest\t%s\n", hex.EncodeToString(c.ContentDigest[:]))
}

// printReceipt writes the signed fields of an application receipt.
func printReceipt(w io.Writer, r report.Result, info report.ReceiptInfo) {
	c := r.Claims
	ts := func(t time.Time) string { return t.In(credit.China).Format("2006-01-02 15:04") + " (UTC+8)" }
	kind := "异议申请 objection"
	if info.Kind == credit.KindRestoration {
		kind = "信用修复申请 credit restoration"
	}
	fz, fe, sz, se := info.DueLabels()
	fmt.Fprintf(w, "文件类型 Type\t申请受理回执 / application receipt\n")
	fmt.Fprintf(w, "申请编号 Application No.\t%s\n", c.ReportID)
	fmt.Fprintf(w, "核验码 Code\t%s\n", r.Code)
	fmt.Fprintf(w, "申请类型 Kind\t%s\n", kind)
	fmt.Fprintf(w, "申请主体 Applicant\t%s\n", c.SubjectName)
	fmt.Fprintf(w, "证件号码 ID\t%s\n", c.SubjectIDDisplay)
	fmt.Fprintf(w, "受理时间 Received\t%s\n", ts(info.ReceivedAt))
	fmt.Fprintf(w, "%s %s\t%s\n", fz, fe, info.FirstDue.In(credit.China).Format("2006-01-02"))
	fmt.Fprintf(w, "%s %s\t%s\n", sz, se, info.SecondDue.In(credit.China).Format("2006-01-02"))
	fmt.Fprintf(w, "出具时间 Issued\t%s\n", ts(c.IssuedAt))
	fmt.Fprintf(w, "有效期至 Expires\t%s\n", ts(c.Expires))
	if r.Office != "" {
		fmt.Fprintf(w, "签发机构 Office\t%s\n", r.Office)
	}
	fmt.Fprintf(w, "内容摘要 Digest\t%s\n", hex.EncodeToString(c.ContentDigest[:]))
}

// verifyJSON is the --json output.
type verifyJSON struct {
	Status    report.Status `json:"status"`
	ExitCode  int           `json:"exit_code"`
	MessageZH string        `json:"message_zh"`
	MessageEN string        `json:"message_en"`
	Detail    string        `json:"detail,omitempty"`
	KID       string        `json:"kid,omitempty"`
	Office    string        `json:"office,omitempty"`
	Code      string        `json:"code,omitempty"`
	Claims    *claimsJSON   `json:"claims,omitempty"`
	Receipt   *receiptJSON  `json:"receipt,omitempty"`
	Warnings  []string      `json:"warnings,omitempty"`
	TrustSeq  uint64        `json:"trust_list_seq,omitempty"`
}

type receiptJSON struct {
	Kind       credit.ApplicationKind `json:"kind"`
	ReceivedAt time.Time              `json:"received_at"`
	FirstDue   time.Time              `json:"first_due"`
	SecondDue  time.Time              `json:"second_due"`
}

type claimsJSON struct {
	ReportID         string    `json:"report_id"`
	IssuedAt         time.Time `json:"iat"`
	Expires          time.Time `json:"exp"`
	ReportType       int       `json:"report_type"`
	SubjectName      string    `json:"subject_name"`
	SubjectIDDisplay string    `json:"subject_id_display"`
	ContentDigest    string    `json:"content_digest"`
	Summary          []uint64  `json:"summary"`
	Pages            int       `json:"pages"`
}

func printJSON(w io.Writer, r report.Result) {
	out := verifyJSON{Status: r.Status, ExitCode: r.ExitCode, MessageZH: r.MessageZH, MessageEN: r.MessageEN,
		Detail: r.Detail, KID: r.KID, Office: r.Office, Code: r.Code}
	if c := r.Claims; c != nil {
		out.Claims = &claimsJSON{ReportID: c.ReportID, IssuedAt: c.IssuedAt, Expires: c.Expires, ReportType: int(c.Type),
			SubjectName: c.SubjectName, SubjectIDDisplay: c.SubjectIDDisplay, ContentDigest: hex.EncodeToString(c.ContentDigest[:]),
			Summary: c.Summary, Pages: c.Pages}
		if info, ok := c.Receipt(); ok {
			out.Receipt = &receiptJSON{Kind: info.Kind, ReceivedAt: info.ReceivedAt, FirstDue: info.FirstDue, SecondDue: info.SecondDue}
		}
	}
	for _, wr := range r.Warnings {
		out.Warnings = append(out.Warnings, wr.Code)
	}
	out.TrustSeq = r.TrustListSeq
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

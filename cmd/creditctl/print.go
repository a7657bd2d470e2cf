package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/escpos"
)

func init() {
	register(command{
		name:  "print",
		usage: "test (--device PATH [--baud N] | --out FILE) [--paper 58|80] [--native-qr] [--chinese] | status --device PATH --baud N — print a test receipt on the ESC/POS printer; ask a serial printer for paper/cover status" + printPDFUsage,
		run:   runPrint,
	})
}

const printUsage = "usage: creditctl print test (--device PATH [--baud N] | --out FILE) [--paper 58|80] [--native-qr] [--chinese] [--rate B/s] [--timeout 30s]\n" +
	"       creditctl print status --device PATH --baud N [--timeout 2s]"

func runPrint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && printSubcommands[args[0]] != nil { // print_pdf.go
		return printSubcommands[args[0]](ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "status" {
		return runPrintStatus(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(stderr, printUsage)
		return 2
	}
	fs := flag.NewFlagSet("print test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	device := fs.String("device", "", "printer device file (/dev/usb/lp0) or, with --baud, serial port (/dev/ttyUSB0)")
	baud := fs.Int("baud", 0, "open --device as a serial port at this speed (e.g. 9600, 115200)")
	out := fs.String("out", "", "write the ESC/POS bytes to this file instead of a printer")
	paper := fs.Int("paper", 58, "paper width in mm: 58 or 80")
	native := fs.Bool("native-qr", false, "use the printer's own QR command (GS ( k) instead of a raster image")
	chinese := fs.Bool("chinese", false, "switch the printer to Chinese mode (FS &) first")
	timeout := fs.Duration("timeout", 30*time.Second, "give up sending after this long")
	rate := fs.Int("rate", 0, "send at most this many bytes per second (serial printers without flow control)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if (*device == "") == (*out == "") || fs.NArg() != 0 || *timeout <= 0 || *baud < 0 || *rate < 0 {
		fmt.Fprintln(stderr, printUsage)
		return 2
	}
	cfg := escpos.Config{NativeQR: *native, Rate: *rate}
	switch *paper {
	case 58:
		cfg.Width = escpos.Paper58
	case 80:
		cfg.Width = escpos.Paper80
	default:
		fmt.Fprintf(stderr, "creditctl print: --paper %d: want 58 or 80\n", *paper)
		return 2
	}
	if *chinese {
		cfg.Chinese = escpos.ChineseOn
	}

	var (
		w    io.WriteCloser
		err  error
		dest = *device
	)
	switch {
	case *out != "":
		dest = *out
		w, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	case *baud > 0:
		w, err = escpos.OpenSerial(*device, *baud)
	default:
		w, err = escpos.OpenDevice(*device)
	}
	if err != nil {
		return printFailed(stderr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	p := escpos.New(w, cfg)
	err = p.Receipt(testReceipt(*paper, *native))
	if err == nil {
		err = p.Flush(ctx)
	}
	if cerr := w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", dest, cerr)
	}
	if err != nil {
		return printFailed(stderr, err)
	}
	if r := p.Replaced(); len(r) > 0 {
		fmt.Fprintf(stderr, "creditctl print: %d characters printed as '?'\n", len(r))
	}
	fmt.Fprintf(stdout, "test receipt sent to %s (%d mm, %s QR)\n", dest, *paper, map[bool]string{false: "raster", true: "native"}[*native])
	return 0
}

// runPrintStatus asks a serial printer for its status (DLE EOT) and
// prints it; exit 0 when ready, 1 when not ready or not answering.
func runPrintStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("print status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	device := fs.String("device", "", "serial port of the printer (/dev/ttyUSB0)")
	baud := fs.Int("baud", 0, "line speed (e.g. 9600, 115200)")
	timeout := fs.Duration("timeout", 2*time.Second, "give up waiting for the answer after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *device == "" || *baud <= 0 || fs.NArg() != 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, printUsage)
		return 2
	}
	port, err := escpos.OpenSerial(*device, *baud)
	if err != nil {
		return printFailed(stderr, err)
	}
	defer port.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	st, err := escpos.QueryStatus(ctx, port)
	if err != nil {
		return printFailed(stderr, err)
	}
	fmt.Fprintf(stdout, "ready=%v offline=%v cover_open=%v paper_near_end=%v paper_out=%v error=%v\n",
		st.Ready(), st.Offline, st.CoverOpen, st.PaperNearEnd, st.PaperOut, st.Error)
	if err := st.Err(); err != nil {
		return printFailed(stderr, err)
	}
	return 0
}

func printFailed(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "creditctl print: %s (%s)\n  %v\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err), err)
	return 1
}

// testReceipt is the receipt `print test` prints: a title, a few lines
// in Chinese and ASCII, a report-sized sample CR1: QR and a footer.
func testReceipt(paper int, native bool) escpos.Receipt {
	qr := "原生" // shown in the lines below
	if !native {
		qr = "光栅 4 点/模块"
	}
	return escpos.Receipt{
		Title: "打印机测试 / Printer test",
		Lines: []escpos.Line{
			{Label: "纸宽", Value: fmt.Sprintf("%d mm", paper)},
			{Label: "二维码", Value: qr},
			{Label: "中文", Value: "信用信息异议申请回执 堃喆镕赟"},
			{Label: "ASCII", Value: "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz"},
		},
		QR:     SampleCR1,
		Footer: []string{"扫描二维码应得到 CR1: 开头的样例文本", "(sample, not a signed report)"},
	}
}

// SampleCR1 is a report-sized (366-character, version 14 at level Q)
// alphanumeric text shaped like a signed report's QR. It is not signed.
var SampleCR1 = func() string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	b := []byte("CR1:")
	h := sha256.Sum256([]byte("credit printer test"))
	for len(b) < 366 {
		for _, c := range h {
			if len(b) < 366 {
				b = append(b, alnum[int(c)%len(alnum)])
			}
		}
		h = sha256.Sum256(h[:])
	}
	return string(b)
}()

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gansu-credit/credit/device/cups"
)

// printSubcommands are the `creditctl print` subcommands for A4 printing
// through CUPS; runPrint dispatches to them before its own test|status.
var printSubcommands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) int{
	"pdf":      runPrintPDF,
	"printers": runPrintPrinters,
	"pending":  runPrintPending,
	"retry":    runPrintRetry,
	"discard":  runPrintDiscard,
}

// printPDFUsage is appended to the print command's one-line usage.
const printPDFUsage = " | pdf [--printer NAME] [--title T] FILE.pdf | pdf --list | printers | pending | retry ID | discard ID — A4 PDF through CUPS (lp -o print-scaling=none), with the spool of refused jobs"

const printPDFHelp = "usage: creditctl print pdf [--printer NAME] [--title TITLE] [--spool DIR] [--timeout 60s] FILE.pdf\n" +
	"       creditctl print pdf --list          (same as: creditctl print printers)\n" +
	"       creditctl print pending [--spool DIR]\n" +
	"       creditctl print retry [--printer NAME] [--spool DIR] ID\n" +
	"       creditctl print discard [--spool DIR] ID"

// cupsFlags are the flags every CUPS subcommand takes.
type cupsFlags struct {
	fs      *flag.FlagSet
	printer *string
	spool   *string
	timeout *time.Duration
}

func newCUPSFlags(name string, stderr io.Writer) cupsFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return cupsFlags{
		fs:      fs,
		printer: fs.String("printer", "", "CUPS destination (queue) name; default: the system default printer"),
		spool:   fs.String("spool", "", "spool directory of documents not yet accepted (default: the user cache dir's credit/print-spool)"),
		timeout: fs.Duration("timeout", 60*time.Second, "give up after this long"),
	}
}

func (c cupsFlags) cupsPrinter() *cups.Printer {
	return cups.New(cups.Config{Printer: *c.printer, SpoolDir: *c.spool})
}

func runPrintPDF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCUPSFlags("print pdf", stderr)
	title := c.fs.String("title", "", "job title shown in the print queue (default: the file name)")
	list := c.fs.Bool("list", false, "list the printers instead of printing")
	if err := c.fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		if c.fs.NArg() != 0 {
			fmt.Fprintln(stderr, printPDFHelp)
			return 2
		}
		return listPrinters(ctx, c, stdout, stderr)
	}
	if c.fs.NArg() != 1 || *c.timeout <= 0 {
		fmt.Fprintln(stderr, printPDFHelp)
		return 2
	}
	file := c.fs.Arg(0)
	pdf, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl print pdf: %v\n", err)
		return 1
	}
	if *title == "" {
		*title = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	ctx, cancel := context.WithTimeout(ctx, *c.timeout)
	defer cancel()
	p := c.cupsPrinter()
	job, err := p.PrintPDF(ctx, *title, pdf)
	if err != nil {
		code := printFailed(stderr, err)
		if id, ok := cups.KeptID(err); ok {
			fmt.Fprintf(stderr, "  kept in %s as %s; print it later with: creditctl print retry %s\n",
				p.Config().SpoolDir, id, id)
		}
		return code
	}
	fmt.Fprintf(stdout, "job %s accepted (%s, A4, print-scaling=none)\n", job, destName(*c.printer))
	return 0
}

func runPrintPrinters(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCUPSFlags("print printers", stderr)
	if err := c.fs.Parse(args); err != nil {
		return 2
	}
	if c.fs.NArg() != 0 {
		fmt.Fprintln(stderr, printPDFHelp)
		return 2
	}
	return listPrinters(ctx, c, stdout, stderr)
}

// listPrinters prints one destination a line, the default marked "*".
func listPrinters(ctx context.Context, c cupsFlags, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(ctx, *c.timeout)
	defer cancel()
	p := c.cupsPrinter()
	names, err := p.Printers(ctx)
	if err != nil {
		return printFailed(stderr, err)
	}
	def, err := p.Default(ctx)
	if err != nil {
		return printFailed(stderr, err)
	}
	if len(names) == 0 {
		fmt.Fprintln(stderr, "no printers are set up in CUPS (lpadmin, or http://localhost:631)")
		return 1
	}
	for _, n := range names {
		mark := " "
		if n == def {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s %s\n", mark, n)
	}
	return 0
}

func runPrintPending(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCUPSFlags("print pending", stderr)
	if err := c.fs.Parse(args); err != nil {
		return 2
	}
	if c.fs.NArg() != 0 {
		fmt.Fprintln(stderr, printPDFHelp)
		return 2
	}
	pend, err := c.cupsPrinter().Pending(ctx)
	if err != nil {
		return printFailed(stderr, err)
	}
	for _, j := range pend {
		fmt.Fprintf(stdout, "%s\t%s\tattempts=%d\t%s\n", j.ID, j.Created.Format(time.RFC3339), j.Attempts, j.LastError)
	}
	return 0
}

func runPrintRetry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCUPSFlags("print retry", stderr)
	if err := c.fs.Parse(args); err != nil {
		return 2
	}
	if c.fs.NArg() != 1 || *c.timeout <= 0 {
		fmt.Fprintln(stderr, printPDFHelp)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *c.timeout)
	defer cancel()
	job, err := c.cupsPrinter().Retry(ctx, c.fs.Arg(0))
	if err != nil {
		return printFailed(stderr, err)
	}
	fmt.Fprintf(stdout, "job %s accepted (%s, A4, print-scaling=none)\n", job, destName(*c.printer))
	return 0
}

func runPrintDiscard(_ context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCUPSFlags("print discard", stderr)
	if err := c.fs.Parse(args); err != nil {
		return 2
	}
	if c.fs.NArg() != 1 {
		fmt.Fprintln(stderr, printPDFHelp)
		return 2
	}
	if err := c.cupsPrinter().Discard(c.fs.Arg(0)); err != nil {
		return printFailed(stderr, err)
	}
	fmt.Fprintf(stdout, "discarded %s\n", c.fs.Arg(0))
	return 0
}

func destName(printer string) string {
	if printer == "" {
		return "default printer"
	}
	return printer
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "audit",
		usage: "verify --db PATH — check the inquiry log's hash chains; exit 1 with the position of the first break",
		run:   runAudit,
	})
}

// runAudit dispatches audit's subcommands (only verify for now).
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: creditctl audit verify --db PATH")
		return 2
	}
	return runAuditVerify(ctx, args[1:], stdout, stderr)
}

// runAuditVerify prints "OK …" and exits 0 when every device's chain is
// intact, or one "BROKEN …" line per broken device and exits 1. It exits 2
// when the check cannot run.
func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "the terminal's database file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: creditctl audit verify --db PATH")
		return 2
	}
	// store.Open would create a missing file: an empty log verifies, which
	// must not pass for a check of a terminal's log.
	if st, err := os.Stat(*db); err != nil || !st.Mode().IsRegular() {
		fmt.Fprintf(stderr, "creditctl audit verify: %s is not a database file\n", *db)
		return 2
	}
	d, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl audit verify:", err)
		return 2
	}
	defer d.Close()
	rep, err := d.VerifyAuditChain(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl audit verify:", err)
		return 2
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			fmt.Fprintln(stdout, "BROKEN:", p)
		}
		return 1
	}
	fmt.Fprintf(stdout, "OK: %d entries on %d devices", rep.Entries, rep.Devices)
	if rep.Unchained > 0 {
		fmt.Fprintf(stdout, "; %d older entries not yet chained", rep.Unchained)
	}
	fmt.Fprintln(stdout)
	return 0
}

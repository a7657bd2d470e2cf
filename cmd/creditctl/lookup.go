package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "lookup",
		usage: "--db PATH [--operator ID --purpose P --auth-ref REF] ID — show a subject's records (logged as an inquiry)",
		run:   runLookup,
	})
}

// lookupResult is what lookup prints as JSON.
type lookupResult struct {
	Subject  credit.Subject  `json:"subject"`
	Records  []credit.Record `json:"records"`
	DataAsOf time.Time       `json:"data_as_of"`
}

func runLookup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lookup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "local store (SQLite file)")
	var q inquirer
	q.flags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dbPath == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: creditctl lookup --db PATH [--operator ID --purpose P --auth-ref REF] ID")
		return 2
	}
	id, _, err := credit.ParseSubjectID(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 2
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 1
	}
	defer db.Close()

	subj, err := db.Subject(ctx, id)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 1
	}
	if err := q.log(ctx, db, subj, time.Now()); err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 1
	}
	recs, err := db.RecordsOf(ctx, id)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 1
	}
	asOf, err := db.DataAsOf(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl lookup: %s\n", userError(err))
		return 1
	}
	if recs == nil {
		recs = []credit.Record{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(lookupResult{Subject: subj, Records: recs, DataAsOf: asOf}); err != nil {
		return 1
	}
	return 0
}

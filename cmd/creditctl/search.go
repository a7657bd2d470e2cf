package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "search",
		usage: "--db PATH [--limit N] QUERY — find businesses by name (1+ Chinese characters) or credit code",
		run:   runSearch,
	})
}

// runSearch lists matching organisations, one per line: code, name,
// division code. Natural persons are never searchable.
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "local store (SQLite file)")
	limit := fs.Int("limit", 20, "most results to print")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if *dbPath == "" || query == "" {
		fmt.Fprintln(stderr, "usage: creditctl search --db PATH [--limit N] QUERY")
		return 2
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl search: %s\n", userError(err))
		return 1
	}
	defer db.Close()
	subs, err := db.SearchOrganisations(ctx, query, *limit)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl search: %s\n", userError(err))
		return 1
	}
	for _, s := range subs {
		if s.IsPerson() {
			continue // never list a natural person, whatever the store says
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", s.ID, s.Name, s.Region)
	}
	if len(subs) == 0 {
		fmt.Fprintln(stderr, "no match (无匹配结果)")
		return 1
	}
	return 0
}

// Command syncserver runs the reference platform of the sync protocol on a
// SQLite file, and seeds and administers it:
//
//	syncserver serve    --db PATH [--addr 127.0.0.1:8700]
//	syncserver device   add --db PATH --id DEVICE-ID [--scope COUNTY] | list --db PATH | revoke --db PATH --id DEVICE-ID
//	syncserver seed     --db PATH [--n 10000] [--seed 1]
//	syncserver withdraw --db PATH --record ID [--reason withdrawn]
//	syncserver status   --db PATH
//	syncserver set-status --db PATH --id UUID --status labelled [--note TEXT]
//	syncserver epoch rotate|show --db PATH
//	syncserver compact  --db PATH [--tombstone-horizon 4320h]
//
// and the platform officer's operations (ops.go; serve --officers FILE
// also offers them over HTTP under /platform/v1):
//
//	syncserver label|review --db PATH --id UUID
//	syncserver decide   --db PATH --id UUID --corrected [--record FILE] | --not-corrected --reasons TEXT
//	syncserver restoration accept|reject|decide --db PATH --id UUID [--reasons TEXT] [--restored|--refused]
//	syncserver close    --db PATH --id UUID [--note TEXT]
//	syncserver revoke   --db PATH --record ID [--note TEXT]
//	syncserver overdue  --db PATH [--all]
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand; run returns the exit status.
type command struct {
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"serve":      {"--db PATH [--addr HOST:PORT] — serve /sync/v1 to enrolled devices", runServe},
	"seed":       {"--db PATH [--n 10000] [--seed 1] — add synthetic subjects and records", runSeed},
	"withdraw":   {"--db PATH --record ID [--reason withdrawn] — withdraw a record (tombstone)", runWithdraw},
	"status":     {"--db PATH — counts, applications received and the change-log head", runStatus},
	"set-status": {"--db PATH --id UUID --status STATUS [--note TEXT] — move an application on", runSetStatus},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main dispatches args[0] to its subcommand. Tests call it directly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "syncserver: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: syncserver <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].usage)
	}
}

// newLogger logs text to w.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

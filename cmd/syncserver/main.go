// Command syncserver runs the reference platform of the sync protocol on a
// SQLite file, and seeds and administers it:
//
//	syncserver serve    --db PATH [--addr 127.0.0.1:8700] [--receipt-key FILE]
//	syncserver keys     receipt|calendar --out FILE [--pub-out FILE]
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
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/gansu-credit/credit/cmd/internal/cli"
)

// command is one subcommand (usage, run); see cmd/internal/cli.
type command = cli.Command

var commands = map[string]command{
	"serve":      {Usage: "--db PATH [--addr HOST:PORT] [--receipt-key FILE] — serve /sync/v1 to enrolled devices", Run: runServe},
	"seed":       {Usage: "--db PATH [--n 10000] [--seed 1] — add synthetic subjects and records", Run: runSeed},
	"withdraw":   {Usage: "--db PATH --record ID [--reason withdrawn] — withdraw a record (tombstone)", Run: runWithdraw},
	"status":     {Usage: "--db PATH — counts, applications received and the change-log head", Run: runStatus},
	"set-status": {Usage: "--db PATH --id UUID --status STATUS [--note TEXT] — move an application on", Run: runSetStatus},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main dispatches args[0] to its subcommand. Tests call it directly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Dispatch(ctx, "syncserver", commands, args, stdout, stderr)
}

// newLogger logs text to w.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gansu-credit/credit/sync/syncserver"
)

func init() {
	commands["backup"] = command{Usage: "--db PATH --to FILE — write a consistent backup of the platform database (while it serves)", Run: runBackup}
	commands["restore"] = command{Usage: "--db PATH --from FILE — restore a backup (platform stopped): new epoch, devices resync and re-send what the backup lacks", Run: runRestore}
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", "", "backup file to write (must not exist)")
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if *to == "" {
		fmt.Fprintln(stderr, "syncserver backup: --to is required")
		return 2
	}
	if err := s.Backup(ctx, *to); err != nil {
		fmt.Fprintf(stderr, "syncserver backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *to)
	return 0
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "platform database to replace (the platform must be stopped)")
	from := fs.String("from", "", "backup file (from syncserver backup)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || *from == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "syncserver restore: --db and --from are required and no arguments are taken")
		return 2
	}
	info, err := syncserver.Restore(ctx, *db, *from)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver restore: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "restored up to seq %d; new epoch %s: every device resyncs and re-sends the applications the backup lacks\n", info.FromSeq, info.Epoch)
	return 0
}

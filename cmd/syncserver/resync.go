package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/gansu-credit/credit/sync/syncserver"
)

func init() {
	commands["epoch"] = command{Usage: "rotate|show --db PATH — rotate the epoch (after a restore: every device resyncs) or show it", Run: runEpoch}
	commands["compact"] = command{Usage: "--db PATH [--tombstone-horizon 4320h] — drop tombstones older than the horizon", Run: runCompact}
}

// compactEvery is how often serve compacts the change log.
const compactEvery = time.Hour

func runEpoch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "show") {
		fmt.Fprintln(stderr, "usage: syncserver epoch rotate|show --db PATH")
		return 2
	}
	fs := flag.NewFlagSet("epoch "+args[0], flag.ContinueOnError)
	s, code := open(ctx, fs, args[1:], stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if args[0] == "show" {
		e, err := s.Epoch(ctx)
		if err != nil {
			return fail(stderr, "epoch", err)
		}
		fmt.Fprintf(stdout, "epoch %s\n", e)
		return 0
	}
	e, err := s.RotateEpoch(ctx)
	if err != nil {
		return fail(stderr, "epoch", err)
	}
	fmt.Fprintf(stdout, "new epoch %s: every device will resync from a snapshot\n", e)
	return 0
}

func runCompact(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	horizon := fs.Duration("tombstone-horizon", 0, "keep tombstones this long (default 180 days)")
	s, code := open(ctx, fs, args, stderr, func() syncserver.Options {
		return syncserver.Options{TombstoneHorizon: *horizon}
	})
	if s == nil {
		return code
	}
	defer s.Close()
	n, err := s.Compact(ctx)
	if err != nil {
		return fail(stderr, "compact", err)
	}
	fmt.Fprintf(stdout, "dropped %d tombstone(s)\n", n)
	return 0
}

// compactLoop compacts at once and then every compactEvery until ctx is
// done. Failures are logged by the caller's logger through fail-safe
// Compact; the loop goes on.
func compactLoop(ctx context.Context, s *syncserver.Server, logf func(string, ...any)) {
	t := time.NewTicker(compactEvery)
	defer t.Stop()
	for {
		if _, err := s.Compact(ctx); err != nil && ctx.Err() == nil {
			logf("compaction failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

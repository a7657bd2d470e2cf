package main

import (
	"context"
	"log/slog"
	"time"
)

// Defaults of `serve --blob-compact-every` and `--blob-older-than`: once an
// hour, drop unfinished evidence uploads and files no application names
// once a week old (the window of `evidence --compact`).
const (
	defaultBlobCompactEvery = time.Hour
	defaultBlobOlderThan    = 7 * 24 * time.Hour
)

// blobCompactor runs Server.CompactBlobs on a schedule (issue 3):
// evidence is kept only as part of an application (data minimisation), so
// what no application names is dropped once older than olderThan.
type blobCompactor struct {
	compact   func(ctx context.Context, olderThan time.Duration) (uploads, files int, err error)
	olderThan time.Duration
	log       *slog.Logger
}

// run compacts at once and then at every tick until ctx is done. A failed
// round is logged and the next tick tries again.
func (b blobCompactor) run(ctx context.Context, ticks <-chan time.Time) {
	for {
		uploads, files, err := b.compact(ctx, b.olderThan)
		switch {
		case err != nil && ctx.Err() == nil:
			b.log.Warn("evidence compaction failed", "err", err)
		case err == nil && uploads+files > 0:
			b.log.Info("evidence compacted", "uploads", uploads, "files", files)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// startBlobCompaction starts the blobCompactor every `every` (none when
// every <= 0) and returns a function that stops it and waits for it.
func startBlobCompaction(ctx context.Context, b blobCompactor, every time.Duration) (stop func()) {
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	t := time.NewTicker(every)
	done := make(chan struct{})
	go func() { defer close(done); b.run(ctx, t.C) }()
	return func() { cancel(); <-done; t.Stop() }
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
)

func init() {
	register(command{
		name:  "sync",
		usage: "--db PATH --server URL --device ID [--key PATH] [--calendar-pub FILE] [--receipt-pub FILE] — push the outbox and pull the platform's changes once (signed with the enrolled key)",
		run:   runSync,
	})
}

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "local store (SQLite file)")
	server := fs.String("server", "", "platform base URL, e.g. http://127.0.0.1:8700")
	device := fs.String("device", "", "device id, as enrolled")
	keyPath := fs.String("key", "", "device key file (default: the --db path plus .key)")
	pageLimit := fs.Int("page-limit", 0, "ops per page to ask for (server default when 0)")
	retries := fs.Int("retries", 3, "retries per request (0 for none)")
	verbose := fs.Bool("v", false, "log requests and retries to stderr")
	calendarPub := fs.String("calendar-pub", "", "platform calendar public key(s): take the signed holiday calendars of the feed")
	receiptPub := fs.String("receipt-pub", "", devicesync.ReceiptPubUsage)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dbPath == "" || *server == "" || *device == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: creditctl sync --db PATH --server URL --device ID [--key PATH] [--page-limit N] [--retries N] [--calendar-pub FILE] [--receipt-pub FILE] [-v]")
		return 2
	}
	receiptKeys, err := devicesync.LoadReceiptKeys(*receiptPub)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl sync: %v\n", err)
		return 1
	}
	if *keyPath == "" {
		*keyPath = DeviceKeyPath(*dbPath)
	}
	if _, err := os.Stat(*keyPath); err != nil {
		fmt.Fprintf(stderr, "creditctl sync: no device key at %s; enrol first: creditctl enroll --server URL --device %s --code CODE --key %s\n", *keyPath, *device, *keyPath)
		return 1
	}
	key, err := syncclient.LoadOrCreateDeviceKey(*keyPath)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl sync: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
		return 1
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	db, err := store.Open(ctx, *dbPath, store.WithLogger(logger))
	if err != nil {
		fmt.Fprintf(stderr, "creditctl sync: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
		return 1
	}
	defer db.Close()

	retryMax := *retries
	if retryMax <= 0 {
		retryMax = -1 // syncclient: negative means none
	}
	var last syncclient.Phase
	lastApplied := -1
	c := syncclient.New(syncclient.Config{
		BaseURL: *server, Key: key, DeviceID: *device, Outbox: db, Applier: db, Logger: logger,
		PageLimit: *pageLimit, RetryMax: retryMax, ReceiptKeys: receiptKeys,
		Calendars: devicesync.OpenCalendar(ctx, db, "", *calendarPub, nil, logger).Sink,
		OnProgress: func(p syncclient.Progress) {
			switch p.Phase {
			case syncclient.PhasePush:
				fmt.Fprintf(stdout, "push: sending (%d waiting, %d delivered, %d rejected)\n", p.Pending, p.Pushed, p.Rejected)
			case syncclient.PhasePull:
				if last != syncclient.PhasePull || p.Applied != lastApplied {
					fmt.Fprintf(stdout, "pull: %d changes applied (%d deleted), %d bytes\n", p.Applied, p.Deleted, p.Bytes)
				}
				lastApplied = p.Applied
			case syncclient.PhaseResync:
				if last != syncclient.PhaseResync {
					fmt.Fprintln(stdout, "resync: the platform asked for a full resync; loading a snapshot")
				}
				if p.Applied != lastApplied {
					fmt.Fprintf(stdout, "resync: %d rows loaded, %d bytes\n", p.Applied, p.Bytes)
				}
				lastApplied = p.Applied
			}
			last = p.Phase
		},
	})
	res, err := c.SyncOnce(ctx)
	fmt.Fprintf(stdout, "pushed %d, rejected %d, applied %d (deleted %d) in %d page(s), %d bytes\n",
		res.Pushed, res.Rejected, res.Applied, res.Deleted, res.Pages, res.Bytes)
	if res.Resyncs > 0 {
		fmt.Fprintf(stdout, "resynced from a snapshot: %d cached row(s) the platform no longer holds were erased\n", res.Swept)
	}
	if res.Quarantined > 0 {
		fmt.Fprintf(stdout, "quarantined %d change(s) this version cannot read\n", res.Quarantined)
	}
	if asOf, aerr := db.DataAsOf(ctx); aerr == nil && !asOf.IsZero() {
		fmt.Fprintf(stdout, "data as of %s\n", asOf.In(credit.China).Format(time.DateTime+" MST"))
	}
	if err != nil {
		fmt.Fprintf(stderr, "creditctl sync: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
		if credit.ErrorCode(err) == credit.EINTERNAL || *verbose {
			fmt.Fprintf(stderr, "  %v\n", err)
		}
		return 1
	}
	return 0
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// open parses the flags common to every command and opens the server.
// options, when not nil, builds the server options after the flags are
// parsed.
func open(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer, options func() syncserver.Options) (*syncserver.Server, int) {
	db := fs.String("db", "", "server database (SQLite file)")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return nil, 2
	}
	if *db == "" || fs.NArg() != 0 {
		fmt.Fprintf(stderr, "syncserver %s: --db is required and no arguments are taken\n", fs.Name())
		fs.Usage()
		return nil, 2
	}
	var opts syncserver.Options
	if options != nil {
		opts = options()
	}
	if opts.Logger == nil {
		opts.Logger = newLogger(stderr)
	}
	s, err := syncserver.Open(ctx, *db, opts)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver %s: %v\n", fs.Name(), err)
		return nil, 1
	}
	return s, 0
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "syncserver %s: %s (%s)\n", cmd, credit.ErrorMessageEN(err), credit.ErrorMessage(err))
	if credit.ErrorCode(err) == credit.EINTERNAL {
		fmt.Fprintf(stderr, "  %v\n", err)
	}
	return 1
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8700", "listen address")
	pageLimit := fs.Int("page-limit", 0, "ops per page (default 500)")
	horizon := fs.Duration("tombstone-horizon", 0, "keep tombstones this long; older cursors resync (default 180 days)")
	officersFile := fs.String("officers", "", "file of TOKEN=OFFICERID lines: the officers of /platform/v1 (ops.go)")
	receiptKey := fs.String("receipt-key", "", "platform receipt key (PEM Ed25519, `syncserver keys receipt`): sign every receipt (devices check it with --receipt-pub)")
	blobEvery := fs.Duration("blob-compact-every", defaultBlobCompactEvery, "drop unfinished evidence uploads and unnamed files this often (blobcompact.go); 0 = off")
	blobOlder := fs.Duration("blob-older-than", defaultBlobOlderThan, "with --blob-compact-every: only those older than this")
	readAhead := fs.Bool("read-ahead", true, "read the next snapshot page while a device fetches the one it asked for")
	mmapSize := fs.Int64("mmap-size", 0, "bytes of the database the read connections map (0: 2 GiB on 64-bit, off on 32-bit; -1: off)")
	log := newLogger(stderr)
	var opsErr error
	var cal credit.Calendar // refreshed with the published years (calendar.go)
	s, code := open(ctx, fs, args, stderr, func() syncserver.Options {
		o := syncserver.Options{PageLimit: *pageLimit, Logger: log, TombstoneHorizon: *horizon, NoReadAhead: !*readAhead, MmapSize: *mmapSize}
		o.Officers, o.Calendar, opsErr = officerOptions(*officersFile)
		cal = o.Calendar
		if opsErr == nil && *receiptKey != "" {
			o.ReceiptKey, opsErr = readCalendarKey(*receiptKey) // any PEM Ed25519 key file
		}
		return o
	})
	if s == nil {
		return code
	}
	if opsErr != nil {
		s.Close()
		return fail(stderr, "serve", opsErr)
	}
	if *blobEvery > 0 && *blobOlder <= 0 {
		s.Close()
		fmt.Fprintln(stderr, "syncserver serve: --blob-older-than must be positive (an upload in progress is never dropped)")
		return 2
	}
	defer s.Close()
	if regs, err := s.RegisteredDevices(ctx); err == nil && len(regs) == 0 {
		log.Warn("no device registered: add one with `syncserver device add`, then enrol it")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(stderr, "serve", err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	compactCtx, stopCompact := context.WithCancel(ctx)
	compactDone := make(chan struct{})
	go func() { defer close(compactDone); compactLoop(compactCtx, s, log.Warn) }()
	calendarDone := make(chan struct{})
	go func() { defer close(calendarDone); calendarLoop(compactCtx, s, cal, log) }() // calendar.go
	stopBlobs := startBlobCompaction(compactCtx, blobCompactor{compact: s.CompactBlobs, olderThan: *blobOlder, log: log}, *blobEvery)
	defer func() { stopCompact(); <-compactDone; <-calendarDone; stopBlobs() }()
	select {
	case err := <-errc:
		return fail(stderr, "serve", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fail(stderr, "serve", err)
	}
	return 0
}

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	n := fs.Int("n", 10000, "number of subjects")
	seedV := fs.Int64("seed", 1, "generator seed (same seed, same data)")
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if *n < 0 {
		fmt.Fprintln(stderr, "syncserver seed: --n must not be negative")
		return 2
	}
	start := time.Now()
	ds := synth.Generate(*seedV, *n)
	if err := s.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		return fail(stderr, "seed", err)
	}
	fmt.Fprintf(stdout, "seeded %d subjects and %d records in %s\n", len(ds.Subjects), len(ds.Records), time.Since(start).Round(time.Millisecond))
	return 0
}

func runWithdraw(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("withdraw", flag.ContinueOnError)
	record := fs.String("record", "", "record id")
	reason := fs.String("reason", "withdrawn", "reason carried by the tombstone (withdrawn, corrected, restored, expired)")
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if *record == "" {
		fmt.Fprintln(stderr, "syncserver withdraw: --record is required")
		return 2
	}
	if err := s.WithdrawRecord(ctx, *record, *reason); err != nil {
		return fail(stderr, "withdraw", err)
	}
	fmt.Fprintf(stdout, "withdrew record %s (%s)\n", *record, *reason)
	return 0
}

func runSetStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("set-status", flag.ContinueOnError)
	id := fs.String("id", "", "application UUID")
	status := fs.String("status", "", "labelled, under_review, corrected, not_corrected, accepted, rejected, restored, refused or closed")
	note := fs.String("note", "", "note sent with the status (written reasons for not_corrected, rejected and refused)")
	officer := fs.String("officer", "cli", "officer id recorded with the move")
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	st := credit.ApplicationStatus(*status)
	switch st {
	case credit.StatusLabelled, credit.StatusUnderReview, credit.StatusCorrected, credit.StatusNotCorrected, credit.StatusClosed,
		credit.StatusRejected, credit.StatusAccepted, credit.StatusRestored, credit.StatusRefused:
	default:
		fmt.Fprintf(stderr, "syncserver set-status: unknown --status %q\n", *status)
		return 2
	}
	// Through the lifecycle (credit/lifecycle.go): an illegal move is
	// refused with the application's current status named.
	if _, err := s.SetStatus(ctx, *officer, *id, st, *note); err != nil {
		return fail(stderr, "set-status", err)
	}
	fmt.Fprintf(stdout, "application %s is now %s\n", *id, st)
	return 0
}

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		return fail(stderr, "status", err)
	}
	apps, err := s.Applications(ctx)
	if err != nil {
		return fail(stderr, "status", err)
	}
	fmt.Fprintf(stdout, "subjects %d\nrecords %d\napplications %d\nhead seq %d\n", st.Subjects, st.Records, st.Applications, st.HeadSeq)
	devs, err := s.Devices(ctx)
	if err != nil {
		return fail(stderr, "status", err)
	}
	now := s.Now()
	for _, d := range devs {
		lag := "none"
		if d.Unacked > 0 {
			lag = fmt.Sprintf("%s (%d tombstone(s) delivered, not acknowledged, oldest %s)", d.DeletionLag(now).Round(time.Second), d.Unacked, d.OldestUnacked.Format(time.RFC3339))
		}
		acked := "never"
		if !d.AckedAt.IsZero() {
			acked = d.AckedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "device %s\tacked seq %d at %s\tdeletion lag %s\n", d.ID, d.AckedSeq, acked, lag)
	}
	for _, a := range apps {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\tseq %d\t%s\n", a.ID, a.Kind, a.DeviceID, a.Status,
			a.Receipt.ServerSeq, a.Receipt.ReceivedAt.Format(time.RFC3339))
	}
	return 0
}

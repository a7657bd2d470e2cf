package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
)

func init() {
	register(command{
		name:  "card",
		usage: "read --port PATH [--timeout 5s] | ports [--probe] [--state FILE] | watch --port PATH — read the ID card on the reader as JSON; list serial ports and find the reader; follow card and reader events",
		run:   runCard,
	})
}

func runCard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "read":
			return runCardRead(ctx, args[1:], stdout, stderr)
		case "ports":
			return runCardPorts(ctx, args[1:], stdout, stderr)
		case "watch":
			return runCardWatch(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: creditctl card read --port PATH [--timeout 5s] [--baud 115200] [-v]")
	fmt.Fprintln(stderr, "       creditctl card ports [--probe [--timeout 300ms] [--state FILE]]")
	fmt.Fprintln(stderr, "       "+watchUsage)
	return 2
}

// runCardRead prints the card's text fields as JSON (credit.IDCard). No
// card, a reader fault or bad frames give a zh/en message and exit 1.
func runCardRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("card read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial port of the reader, e.g. /dev/credit-idcard, /dev/ttyUSB0, or cardsim's /dev/pts/N")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	baud := fs.Int("baud", idcard.DefaultBaud, "line speed")
	verbose := fs.Bool("v", false, "log each command to stderr (no personal data)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *port == "" || fs.NArg() != 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, "usage: creditctl card read --port PATH [--timeout 5s] [--baud 115200] [-v]")
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "creditctl card read: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
		if *verbose {
			fmt.Fprintf(stderr, "creditctl card read: %v\n", err)
		}
		return 1
	}
	p, err := idcard.OpenSerial(*port, *baud)
	if err != nil {
		return fail(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	r := idcard.New(p, idcard.Config{
		// No single command may outlast the whole --timeout.
		StatusTimeout: min(idcard.DefaultStatusTimeout, *timeout),
		FindTimeout:   min(idcard.DefaultFindTimeout, *timeout),
		SelectTimeout: min(idcard.DefaultSelectTimeout, *timeout),
		ReadTimeout:   min(idcard.DefaultReadTimeout, *timeout),
		Logger:        slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	})
	card, err := r.ReadCard(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w: %w", err, credit.Errorf(credit.EUNAVAILABLE,
			"读卡超时（%s），请重新放置身份证。", "Reading the card timed out (%s). Please place the card again.", *timeout))
	}
	if err != nil {
		return fail(err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(card); err != nil {
		fmt.Fprintf(stderr, "creditctl card read: %v\n", err)
		return 1
	}
	return 0
}

// portGlobs are where serial card readers appear (idcard.PortGlobs);
// tests replace it.
var portGlobs = idcard.PortGlobs

const portsUsage = "usage: creditctl card ports [--probe [--timeout 300ms] [--state FILE]]"

// runCardPorts lists candidate serial ports, symlinks with their targets.
// With --probe it asks each (each device once) for the SAM status and
// says which answer; --state remembers the first that answered for
// idcard.Discover. It exits 1 when there are no ports, or with --probe
// when none answers.
func runCardPorts(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("card ports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	probe := fs.Bool("probe", false, "ask each port for the SAM status and report which answer")
	timeout := fs.Duration("timeout", idcard.DefaultProbeTimeout, "with --probe: how long to wait for each port")
	state := fs.String("state", "", "with --probe: remember the first port that answers in this file")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, portsUsage)
		return 2
	}
	if fs.NArg() != 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, portsUsage)
		return 2
	}
	n, answered := 0, ""
	probed := map[string]bool{}
	for _, g := range portGlobs {
		matches, _ := filepath.Glob(g) // the patterns are constant and valid
		sort.Strings(matches)
		for _, m := range matches {
			n++
			line := m
			target, err := filepath.EvalSymlinks(m)
			if err == nil && target != m {
				line = m + " -> " + target
			}
			if *probe && err == nil && !probed[target] {
				probed[target] = true
				perr := idcard.Probe(ctx, m, idcard.DiscoverConfig{Config: idcard.Config{StatusTimeout: *timeout}})
				if perr == nil {
					line += "\treader answers (读卡器已应答)"
					if answered == "" {
						answered = m
					}
				} else {
					line += "\tno reader: " + credit.ErrorMessageEN(perr)
				}
			}
			fmt.Fprintln(stdout, line)
		}
	}
	if n == 0 {
		fmt.Fprintln(stderr, "creditctl card ports: no serial ports found (未找到串口). Is the reader plugged in, and is it a serial (not USB-HID) model?")
		return 1
	}
	if !*probe {
		return 0
	}
	if answered == "" {
		fmt.Fprintf(stderr, "creditctl card ports: %s (%s)\n", credit.ErrorMessageEN(idcard.ErrNoReader), credit.ErrorMessage(idcard.ErrNoReader))
		return 1
	}
	if *state != "" {
		if _, err := idcard.Discover(ctx, []string{answered}, idcard.DiscoverConfig{
			Config: idcard.Config{StatusTimeout: *timeout}, StateFile: *state}); err != nil {
			fmt.Fprintf(stderr, "creditctl card ports: %v\n", err)
			return 1
		}
	}
	return 0
}

const watchUsage = "creditctl card watch --port PATH [--poll 500ms] [--remove-after 3] [--for DURATION] [-v]"

// watchLine is one line of card watch's output.
type watchLine struct {
	Time    string         `json:"time"`
	Event   string         `json:"event"`
	Card    *credit.IDCard `json:"card,omitempty"`
	Error   string         `json:"error,omitempty"`
	ErrorZH string         `json:"error_zh,omitempty"`
}

// runCardWatch follows the reader with idcard.Watcher and prints each
// event as a JSON line until interrupted or --for passes. It reopens the
// port when the reader is unplugged and comes back.
func runCardWatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("card watch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial port of the reader; a stable name such as /dev/credit-idcard survives replugging")
	baud := fs.Int("baud", idcard.DefaultBaud, "line speed")
	poll := fs.Duration("poll", idcard.DefaultPoll, "pause between polls")
	removeAfter := fs.Int("remove-after", idcard.DefaultRemoveAfter, "consecutive no-card answers before card-removed")
	forDur := fs.Duration("for", 0, "stop after this long (0 = until interrupted)")
	verbose := fs.Bool("v", false, "log each command to stderr (no personal data)")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, "usage: "+watchUsage)
		return 2
	}
	if *port == "" || fs.NArg() != 0 || *poll <= 0 || *removeAfter <= 0 || *forDur < 0 {
		fmt.Fprintln(stderr, "usage: "+watchUsage)
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	if *forDur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *forDur)
		defer cancel()
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	var werr error
	w := idcard.NewWatcher(idcard.WatchConfig{
		Open:        idcard.SerialOpener(*port, *baud),
		Poll:        *poll,
		RemoveAfter: *removeAfter,
		Logger:      slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	}, func(e idcard.Event) {
		line := watchLine{Time: time.Now().Format(time.RFC3339Nano), Event: e.Kind.String()}
		if e.Kind == idcard.CardRead {
			c := e.Card
			line.Card = &c
		}
		if e.Err != nil {
			line.Error, line.ErrorZH = credit.ErrorMessageEN(e.Err), credit.ErrorMessage(e.Err)
		}
		if err := enc.Encode(line); err != nil && werr == nil {
			werr = err
		}
	})
	_ = w.Run(ctx) // returns ctx.Err() once interrupted or --for passed
	if werr != nil {
		fmt.Fprintf(stderr, "creditctl card watch: %v\n", werr)
		return 1
	}
	return 0
}

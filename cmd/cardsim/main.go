// Command cardsim simulates a GA 467 resident-ID-card reader on a
// pseudo-terminal, for demos and tests without hardware.
//
// It prints the slave path (/dev/pts/N) as the first line on stdout, then
// serves the card described by the flags until SIGINT or SIGTERM. SIGUSR1
// takes the card off the reader or puts it back. Linux only (it needs
// /dev/ptmx).
//
//	cardsim [--id 620102198503120021] [--name 张晓燕] [--no-card] [--link /tmp/idcard] …
//	creditctl card read --port "$(head -1 cardsim.out)"
//
// With --script FILE (- = stdin) it plays a script of actions instead —
// cards of every kind, removal, pauses, faults on the line and "unplug"
// (the pty is closed and a new one appears at --link; its path is printed
// as another line) — see script.go for the syntax:
//
//	cardsim --link /tmp/idcard --script - <<'END'
//	card demo
//	wait 3s
//	remove
//	unplug 2s
//	card kind=gat
//	END
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
)

// The default card: the synthetic dataset's demo person (synth.DemoID,
// synth.DemoName), a valid Gansu number (620102 = 兰州市城关区).
const (
	defaultID   = "620102198503120021"
	defaultName = "张晓燕"
)

// version is set by the build (-X main.version=…).
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	toggle := make(chan os.Signal, 1)
	notifyToggle(toggle)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, toggle)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it. Each value on toggle
// removes or restores the card.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, toggle <-chan os.Signal) int {
	fl := flag.NewFlagSet("cardsim", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var c credit.IDCard
	fl.StringVar(&c.Number, "id", defaultID, "citizen ID number (18 characters, MOD 11-2 checked)")
	fl.StringVar(&c.Name, "name", defaultName, "name (up to 15 characters)")
	fl.StringVar(&c.Sex, "sex", "", "sex code: 1 male, 2 female (default: from the ID number)")
	fl.StringVar(&c.Ethnic, "ethnic", "01", "ethnic group code, GB 3304 (01 = 汉)")
	fl.StringVar(&c.Birth, "birth", "", "birth date YYYYMMDD (default: from the ID number)")
	fl.StringVar(&c.Address, "address", "甘肃省兰州市城关区庆阳路100号", "address (up to 35 characters)")
	fl.StringVar(&c.Authority, "authority", "兰州市公安局城关分局", "issuing authority (up to 15 characters)")
	fl.StringVar(&c.ValidFrom, "valid-from", "20150601", "start of validity YYYYMMDD")
	fl.StringVar(&c.ValidTo, "valid-to", "20350601", "end of validity YYYYMMDD or 长期")
	noCard := fl.Bool("no-card", false, "start with no card on the reader")
	link := fl.String("link", "", "also create a symlink at this path to the slave (required by the script's unplug)")
	script := fl.String("script", "", "run this script of actions (- = stdin); the reader starts empty (see script.go)")
	verbose := fl.Bool("v", false, "log every request (to stderr)")
	showVersion := fl.Bool("version", false, "print the version and exit")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "cardsim", version)
		return 0
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "cardsim: unexpected arguments %q\n", fl.Args())
		return 2
	}
	c.Kind = credit.CardResident
	card, err := completeCard(c)
	if err != nil {
		fmt.Fprintf(stderr, "cardsim: %s\ncardsim: %s\n", credit.ErrorMessage(err), credit.ErrorMessageEN(err))
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	var acts []action
	if *script != "" {
		var r io.Reader = stdin
		if *script != "-" {
			f, err := os.Open(*script)
			if err != nil {
				fmt.Fprintf(stderr, "cardsim: --script: %v\n", err)
				return 2
			}
			defer f.Close()
			r = f
		}
		if acts, err = parseScript(r, card); err != nil {
			fmt.Fprintf(stderr, "cardsim: %s: %v\n", *script, err)
			return 2
		}
	}

	p := &port{link: *link, stdout: stdout, log: log}
	if !*noCard && *script == "" {
		p.card = &card
	}
	if err := p.plug(); err != nil {
		fmt.Fprintf(stderr, "cardsim: %v\n", err)
		p.unplug()
		return 1
	}
	defer p.unplug()
	if *link != "" {
		defer os.Remove(*link)
	}
	log.Info("serving", "port", p.path, "card", card, "present", p.hasCard())

	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-toggle:
				if p.hasCard() {
					_ = p.setCard(nil)
				} else if err := p.setCard(&card); err != nil {
					log.Error("put card back", "err", err)
				}
				log.Info("card toggled", "present", p.hasCard())
			}
		}
	}()
	scriptDone := make(chan error, 1)
	if acts != nil {
		go func() { scriptDone <- runScript(ctx, acts, p, log) }()
	}
	tick := time.NewTicker(200 * time.Millisecond) // picks up a replugged pty
	defer tick.Stop()
	for {
		done := p.failed()
		select {
		case <-ctx.Done():
			return 0
		case err := <-scriptDone:
			if err != nil && ctx.Err() == nil {
				fmt.Fprintf(stderr, "cardsim: %v\n", err)
				return 1
			}
			log.Info("script done; serving on")
		case <-done:
			if err := p.result(done); err != nil && ctx.Err() == nil {
				fmt.Fprintf(stderr, "cardsim: %v\n", err)
				return 1
			}
			if ctx.Err() != nil {
				return 0
			}
		case <-tick.C:
		}
	}
}

// completeCard validates the number, fills sex and birth from it when not
// given, and checks the result the way the reader will.
func completeCard(c credit.IDCard) (credit.IDCard, error) {
	n, err := credit.ParseIDNumber(c.Number)
	if err != nil {
		return c, fmt.Errorf("--id %q: %w", c.Number, err)
	}
	if c.Birth == "" {
		c.Birth = string(n)[6:14]
	}
	if c.Sex == "" {
		c.Sex = "2"
		if n.Male() {
			c.Sex = "1"
		}
	}
	if c.Birth != string(n)[6:14] {
		return c, credit.Errorf(credit.EINVALID, "--birth %s 与身份证号码中的出生日期不符。",
			"--birth %s does not match the birth date in the ID number.", c.Birth)
	}
	card, err := idcard.CheckCard(c)
	if err != nil {
		return c, err
	}
	if _, err := idcard.EncodeText(card); err != nil {
		return c, credit.Errorf(credit.EINVALID, "字段过长：%v", "A field is too long: %v", err)
	}
	return card, nil
}

// relink points link at target, replacing an old symlink but never a
// regular file.
func relink(target, link string) error {
	if fi, err := os.Lstat(link); err == nil {
		if fi.Mode()&fs.ModeSymlink == 0 {
			return fmt.Errorf("--link %s exists and is not a symlink", link)
		}
		if err := os.Remove(link); err != nil {
			return fmt.Errorf("--link: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--link: %w", err)
	}
	if err := os.Symlink(target, link); err != nil {
		return fmt.Errorf("--link: %w", err)
	}
	return nil
}

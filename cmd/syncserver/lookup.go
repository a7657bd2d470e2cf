package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// Exit codes of `verify --no --code` (a QR text exits with its §7.4 code).
const (
	exitLookupKnown   = 0
	exitLookupRevoked = 25
	exitLookupUnknown = 27
)

func init() {
	commands["verify"] = command{Usage: "--db PATH (TEXT|- | --no N --code C) — verify a QR text against the published trust list, or look a report up", Run: runVerify}
	commands["trust-list"] = command{Usage: "publish --db PATH --in LIST.tl --root-pub ROOT.pem | show --db PATH — the trust list devices receive", Run: runTrustList}
}

// openDB opens the server database for a command that parsed its own flags.
func openDB(ctx context.Context, db string, stderr io.Writer) (*syncserver.Server, error) {
	if db == "" {
		return nil, fmt.Errorf("--db is required")
	}
	return syncserver.Open(ctx, db, syncserver.Options{Logger: newLogger(stderr)})
}

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "server database (SQLite file)")
	no := fs.String("no", "", "report number (报告编号), with --code")
	code := fs.String("code", "", "8-character verification code (核验码), with --no")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lookup := *no != "" || *code != ""
	if (lookup && (fs.NArg() != 0 || *no == "" || *code == "")) || (!lookup && fs.NArg() != 1) {
		fmt.Fprintln(stderr, "syncserver verify: give the QR text (or - for stdin), or --no and --code")
		return 2
	}
	s, err := openDB(ctx, *db, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver verify: %v\n", err)
		return 2
	}
	defer s.Close()
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if lookup {
		a, err := s.Lookup(ctx, strings.TrimSpace(*no), *code)
		if err != nil {
			return fail(stderr, "verify", err)
		}
		_ = enc.Encode(a)
		switch a.Status {
		case protocol.LookupKnown:
			return exitLookupKnown
		case protocol.LookupRevoked:
			return exitLookupRevoked
		}
		return exitLookupUnknown
	}
	text := fs.Arg(0)
	if text == "-" {
		b, err := io.ReadAll(io.LimitReader(os.Stdin, report.MaxTextLen+1))
		if err != nil {
			return fail(stderr, "verify", err)
		}
		text = string(b)
	}
	v, err := s.VerifyText(ctx, strings.TrimRight(text, "\r\n"))
	if err != nil {
		return fail(stderr, "verify", err)
	}
	_ = enc.Encode(v)
	return v.ExitCode
}

func runTrustList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "publish" && args[0] != "show") {
		fmt.Fprintln(stderr, "usage: syncserver trust-list publish --db PATH --in LIST.tl --root-pub ROOT.pem | show --db PATH")
		return 2
	}
	fs := flag.NewFlagSet("trust-list "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "server database (SQLite file)")
	in := fs.String("in", "", "signed trust list (creditctl keys … output)")
	rootPub := fs.String("root-pub", "", "PEM file of the root public key(s) the list must be signed by")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 0 || (args[0] == "publish" && (*in == "" || *rootPub == "")) {
		fmt.Fprintln(stderr, "syncserver trust-list: publish needs --db, --in and --root-pub; no arguments are taken")
		return 2
	}
	s, err := openDB(ctx, *db, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver trust-list: %v\n", err)
		return 2
	}
	defer s.Close()
	if args[0] == "show" {
		tl, err := s.TrustList(ctx)
		if err != nil {
			return fail(stderr, "trust-list show", err)
		}
		printTrustList(stdout, tl)
		return 0
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return fail(stderr, "trust-list publish", err)
	}
	pem, err := os.ReadFile(*rootPub)
	if err != nil {
		return fail(stderr, "trust-list publish", err)
	}
	roots, err := report.ParsePublicKeys(pem)
	if err != nil {
		return fail(stderr, "trust-list publish", fmt.Errorf("--root-pub: %w", err))
	}
	tl, changed, err := s.PublishTrustList(ctx, data, roots)
	if err != nil {
		return fail(stderr, "trust-list publish", err)
	}
	if !changed {
		fmt.Fprintf(stdout, "trust list seq %d is already the current one; nothing changed\n", tl.Seq)
		return 0
	}
	fmt.Fprintf(stdout, "published trust list seq %d (%d keys, %d revoked reports); devices receive it with their next sync\n", tl.Seq, len(tl.Keys), tl.Revoked)
	return 0
}

func printTrustList(w io.Writer, tl *syncserver.TrustListInfo) {
	fmt.Fprintf(w, "seq %d issued %s next update %s, %d keys, %d revoked reports\n", tl.Seq,
		tl.IssuedAt.UTC().Format("2006-01-02T15:04:05Z"), tl.NextUpdate.UTC().Format("2006-01-02T15:04:05Z"), len(tl.Keys), tl.Revoked)
	for _, k := range tl.Keys {
		fmt.Fprintf(w, "  %s %-11s %s %s\n", k.KID, k.Status, k.OfficeCode, k.OfficeName)
	}
}

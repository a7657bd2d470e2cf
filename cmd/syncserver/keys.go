package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gansu-credit/credit/app/report"
)

func init() {
	commands["keys"] = command{
		Usage: "receipt|calendar --out FILE [--pub-out FILE] — make a platform key (PEM Ed25519, mode 0600, never overwritten) and write its public key for the devices",
		Run:   runKeys,
	}
}

const keysUsage = `usage: syncserver keys receipt  --out FILE [--pub-out FILE]   (serve --receipt-key; devices --receipt-pub)
       syncserver keys calendar --out FILE [--pub-out FILE]   (calendar publish --key; devices --calendar-pub)`

// runKeys makes a platform signing key: the receipt key serve signs
// receipts with (sync.md I6), or the calendar key calendar publish signs
// with. The public key goes to --pub-out (default: --out with .pub).
func runKeys(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "receipt" && args[0] != "calendar") {
		fmt.Fprintln(stderr, keysUsage)
		return 2
	}
	kind := args[0]
	fs := flag.NewFlagSet("keys "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "private key file to create (mode 0600)")
	pubOut := fs.String("pub-out", "", "public key file (default: --out with .pub)")
	if err := fs.Parse(args[1:]); err != nil || *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, keysUsage)
		return 2
	}
	if *pubOut == "" {
		*pubOut = strings.TrimSuffix(*out, filepath.Ext(*out)) + ".pub"
	}
	if *pubOut == *out {
		fmt.Fprintln(stderr, "syncserver keys: --pub-out must differ from --out")
		return 2
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(stderr, "syncserver keys %s: %s exists; a platform key is never overwritten\n", kind, *out)
		return 1
	}
	key, err := report.LoadOrCreateKey(*out) // creates with mode 0600
	if err != nil {
		fmt.Fprintf(stderr, "syncserver keys %s: %v\n", kind, err)
		return 1
	}
	pub := key.Public().(ed25519.PublicKey)
	b, err := report.MarshalPublicKey(pub)
	if err == nil {
		err = os.WriteFile(*pubOut, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "syncserver keys %s: write public key: %v\n", kind, err)
		return 1
	}
	kid := report.KeyID(pub)
	fmt.Fprintf(stdout, "%s_key\t%s\n%s_pub\t%s\n%s_kid\t%s\n", kind, *out, kind, *pubOut, kind, hex.EncodeToString(kid[:]))
	return 0
}

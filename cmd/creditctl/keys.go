package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

func init() {
	register(command{
		name:  "keys",
		usage: "init-root | export-pub | trust-list (new|add-key|retire|compromise|revoke-report|sign) | show — root key and trust list (offline officer)",
		run:   runKeys,
	})
}

const keysUsage = `usage: creditctl keys <action> [flags]

The root key stays on an offline PC. It signs the trust list verifiers load.
Edits write an unsigned draft; "sign" turns a draft into the signed list
(seq + 1) that travels to devices.

  init-root --out root.key [--pub-out root.pub]
        make a root key (mode 0600; refuses to overwrite) and its public key
  export-pub --key device.key --out device.pub
        write the public key of a device (or root) key, for enrolment
  trust-list new --out draft.tl
  trust-list add-key --in F --out F --pub device.pub --office-code CODE --office-name NAME [--from TIME] [--to TIME]
  trust-list retire --in F --out F --kid HEX [--at TIME]
        the key may no longer sign after TIME (default now); older reports stay valid
  trust-list compromise --in F --out F --kid HEX [--at TIME]
        every report the key signed is refused offline
  trust-list revoke-report --in F --out F --report-no NO
  trust-list sign --root root.key --in F --out F [--valid-for 720h] [--next-root next.pub]
  show --in F [--root-pub root.pub]
        print a list or draft; with --root-pub also check the signature

TIME is RFC 3339 or YYYY-MM-DD (China time).
`

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return 2
	}
	var err error
	switch args[0] {
	case "init-root":
		err = keysInitRoot(args[1:], stdout, stderr)
	case "export-pub":
		err = keysExportPub(args[1:], stdout, stderr)
	case "trust-list":
		if len(args) < 2 {
			fmt.Fprint(stderr, keysUsage)
			return 2
		}
		err = keysTrustList(args[1], args[2:], stdout, stderr)
	case "show":
		err = keysShow(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, keysUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "creditctl keys: unknown action %q\n\n%s", args[0], keysUsage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "creditctl keys: %s\n", ue.msg)
		}
		fmt.Fprint(stderr, keysUsage)
		return 2
	default:
		fmt.Fprintf(stderr, "creditctl keys %s: %v\n", args[0], err)
		return 1
	}
}

// usageError is a wrong command line: exit 2 with the usage text.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// newFlags makes a flag set that reports errors as usageError.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string, required map[string]*string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{}
	}
	if fs.NArg() != 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for name, v := range required {
		if *v == "" {
			return usageError{fmt.Sprintf("%s needs --%s", fs.Name(), name)}
		}
	}
	return nil
}

func keysInitRoot(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("init-root", stderr)
	out := fs.String("out", "", "root private key file to create")
	pubOut := fs.String("pub-out", "", "public key file (default: --out with .pub)")
	if err := parseFlags(fs, args, map[string]*string{"out": out}); err != nil {
		return err
	}
	if *pubOut == "" {
		*pubOut = strings.TrimSuffix(*out, filepath.Ext(*out)) + ".pub"
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists; a root key is never overwritten", *out)
	}
	priv, err := report.LoadOrCreateKey(*out) // creates with mode 0600, O_EXCL
	if err != nil {
		return err
	}
	pub := priv.Public().(ed25519.PublicKey)
	if err := writePublicKey(*pubOut, pub); err != nil {
		return err
	}
	kid := report.KeyID(pub)
	fmt.Fprintf(stdout, "root_key\t%s\nroot_pub\t%s\nroot_kid\t%s\n", *out, *pubOut, hex.EncodeToString(kid[:]))
	fmt.Fprintln(stderr, "keep the root key offline; give verifiers the .pub file")
	return nil
}

func keysExportPub(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export-pub", stderr)
	key := fs.String("key", "", "private key file (PEM PKCS#8 Ed25519)")
	out := fs.String("out", "", "public key file to write")
	if err := parseFlags(fs, args, map[string]*string{"key": key, "out": out}); err != nil {
		return err
	}
	b, err := os.ReadFile(*key)
	if err != nil {
		return fmt.Errorf("read key: %w", err)
	}
	priv, err := report.ParsePrivateKey(b)
	if err != nil {
		return fmt.Errorf("%s: %w", *key, err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	if err := writePublicKey(*out, pub); err != nil {
		return err
	}
	kid := report.KeyID(pub)
	fmt.Fprintf(stdout, "kid\t%s\n", hex.EncodeToString(kid[:]))
	return nil
}

func writePublicKey(path string, pub ed25519.PublicKey) error {
	b, err := report.MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b, 0o644)
}

// readPublicKeys reads a PEM file of one or more public keys.
func readPublicKeys(path string) ([]ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	keys, err := report.ParsePublicKeys(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// writeFileAtomic writes through a temporary file in the same directory,
// so --in and --out may name the same file and a crash leaves the old one.
func writeFileAtomic(path string, b []byte, mode fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".creditctl-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// parseTime reads RFC 3339 or a date (midnight, China time).
func parseTime(flagName, s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, credit.China); err == nil {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Sprintf("--%s %q is neither RFC 3339 nor YYYY-MM-DD", flagName, s)}
}

// optTime parses an optional time flag; empty gives def.
func optTime(flagName, s string, def time.Time) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	return parseTime(flagName, s)
}

func keysShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("show", stderr)
	in := fs.String("in", "", "trust list or draft")
	rootPub := fs.String("root-pub", "", "root public key(s); checks the signature")
	if err := parseFlags(fs, args, map[string]*string{"in": in}); err != nil {
		return err
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("read trust list: %w", err)
	}
	var tl *report.TrustList
	if *rootPub != "" {
		roots, err := readPublicKeys(*rootPub)
		if err != nil {
			return err
		}
		if tl, err = report.LoadTrustList(b, roots, 0); err != nil {
			return err
		}
		kid := report.KeyID(tl.Root)
		fmt.Fprintf(stdout, "signature\tvalid (root kid %s)\n", hex.EncodeToString(kid[:]))
	} else {
		if tl, err = report.ParseTrustList(b); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "signature\tnot checked (give --root-pub)")
	}
	printTrustList(stdout, tl, now())
	return nil
}

func printTrustList(w io.Writer, tl *report.TrustList, at time.Time) {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(credit.China).Format("2006-01-02 15:04:05") + " (UTC+8)"
	}
	fmt.Fprintf(w, "seq\t%d\n", tl.Seq)
	fmt.Fprintf(w, "issued_at\t%s\n", ts(tl.IssuedAt))
	stale := ""
	if !tl.NextUpdate.IsZero() && at.After(tl.NextUpdate) {
		stale = "  STALE"
	}
	fmt.Fprintf(w, "next_update\t%s%s\n", ts(tl.NextUpdate), stale)
	if tl.NextRoot != nil {
		kid := report.KeyID(tl.NextRoot)
		fmt.Fprintf(w, "next_root\t%s\n", hex.EncodeToString(kid[:]))
	}
	fmt.Fprintf(w, "keys\t%d\n", len(tl.Keys))
	for _, k := range tl.Keys {
		kid := k.KID()
		fmt.Fprintf(w, "key\t%s\t%s\t%s\t%s\tfrom %s\tto %s\n", hex.EncodeToString(kid[:]), k.Status, k.OfficeCode, k.OfficeName, ts(k.SignFrom), ts(k.SignTo))
	}
	fmt.Fprintf(w, "revoked_reports\t%d\n", len(tl.Revoked))
	for _, h := range tl.Revoked {
		fmt.Fprintf(w, "revoked\t%s\n", hex.EncodeToString(h[:]))
	}
}

// checkSigner refuses to sign when a trust list is given and the device
// key is not active and in its window there (reports.md §6). With no
// --trust it does nothing.
func checkSigner(trustPath, rootPub string, pub ed25519.PublicKey, at time.Time) error {
	if trustPath == "" && rootPub == "" {
		return nil
	}
	if trustPath == "" || rootPub == "" {
		return credit.Errorf(credit.EINVALID, "--trust 与 --root-pub 须同时给出。", "--trust and --root-pub go together.")
	}
	roots, err := readPublicKeys(rootPub)
	if err != nil {
		return credit.Errorf(credit.EINVALID, "无法读取根公钥。", "Cannot read the root public key: %v", err)
	}
	b, err := os.ReadFile(trustPath)
	if err != nil {
		return credit.Errorf(credit.EINVALID, "无法读取核验数据。", "Cannot read the trust list: %v", err)
	}
	tl, err := report.LoadTrustList(b, roots, 0)
	if err != nil {
		return credit.Errorf(credit.EINVALID, "核验数据无效。", "The trust list is not valid: %v", err)
	}
	return tl.CheckSigner(pub, at)
}

package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gansu-credit/credit/app/report"
)

// keysTrustList runs one trust-list edit: read --in (draft or signed
// list; "new" starts empty), change it, write a draft (or, for "sign",
// the signed list) to --out.
func keysTrustList(action string, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("trust-list "+action, stderr)
	in := fs.String("in", "", "trust list or draft to start from")
	out := fs.String("out", "", "file to write")
	required := map[string]*string{"in": in, "out": out}
	var edit func(tl *report.TrustList) error
	at := now()
	switch action {
	case "new":
		delete(required, "in")
		edit = func(*report.TrustList) error { return nil }
	case "add-key":
		pubPath := fs.String("pub", "", "device public key (from export-pub)")
		code := fs.String("office-code", "", "office code, e.g. the 6-digit region code")
		name := fs.String("office-name", "", "office name shown by verifiers")
		from := fs.String("from", "", "first time the key may sign (default now)")
		to := fs.String("to", "", "last time the key may sign (default open)")
		required["pub"], required["office-code"], required["office-name"] = pubPath, code, name
		edit = func(tl *report.TrustList) error {
			keys, err := readPublicKeys(*pubPath)
			if err != nil {
				return err
			}
			if len(keys) != 1 {
				return fmt.Errorf("%s holds %d keys; add one at a time", *pubPath, len(keys))
			}
			f, err := optTime("from", *from, at)
			if err != nil {
				return err
			}
			t, err := optTime("to", *to, time.Time{})
			if err != nil {
				return err
			}
			for _, k := range tl.Keys {
				if k.Public.Equal(keys[0]) {
					return fmt.Errorf("the key is already listed (%s)", k.Status)
				}
			}
			tl.Keys = append(tl.Keys, report.ListKey{Public: keys[0], OfficeCode: *code, OfficeName: *name,
				Status: report.KeyActive, SignFrom: f, SignTo: t, StatusAt: at})
			return nil
		}
	case "retire", "compromise":
		kid := fs.String("kid", "", "key id (16 hex digits, as in show)")
		when := fs.String("at", "", "time of the change (default now)")
		required["kid"] = kid
		edit = func(tl *report.TrustList) error {
			i, err := tl.Find(strings.ToLower(*kid))
			if err != nil {
				return err
			}
			if i < 0 {
				return fmt.Errorf("no key with kid %s", *kid)
			}
			t, err := optTime("at", *when, at)
			if err != nil {
				return err
			}
			k := &tl.Keys[i]
			if action == "compromise" {
				k.Status, k.StatusAt = report.KeyCompromised, t
				return nil
			}
			if k.Status == report.KeyCompromised {
				return errors.New("the key is compromised; it cannot be retired")
			}
			if t.Before(k.SignFrom) {
				return fmt.Errorf("--at is before the key's sign_from")
			}
			k.Status, k.StatusAt = report.KeyRetired, t
			if k.SignTo.IsZero() || t.Before(k.SignTo) {
				k.SignTo = t
			}
			return nil
		}
	case "revoke-report":
		no := fs.String("report-no", "", "report number (报告编号) or application number to revoke")
		required["report-no"] = no
		edit = func(tl *report.TrustList) error {
			tl.Revoked = append(tl.Revoked, report.RevokedHash(strings.TrimSpace(*no)))
			return nil
		}
	case "sign":
		rootPath := fs.String("root", "", "root private key")
		validFor := fs.Duration("valid-for", 30*24*time.Hour, "next_update = now + this; verifiers warn after it")
		nextRoot := fs.String("next-root", "", "public key of the root that will sign later lists (rotation)")
		required["root"] = rootPath
		if err := parseFlags(fs, args, required); err != nil {
			return err
		}
		return signTrustList(*in, *out, *rootPath, *nextRoot, *validFor, at, stdout)
	default:
		return usageError{fmt.Sprintf("unknown trust-list action %q", action)}
	}
	if err := parseFlags(fs, args, required); err != nil {
		return err
	}
	tl := &report.TrustList{}
	if *in != "" {
		var err error
		if tl, err = readTrustList(*in); err != nil {
			return err
		}
	}
	if err := edit(tl); err != nil {
		return err
	}
	draft := tl.Marshal()
	if _, err := report.ParseTrustListDraft(draft); err != nil {
		return err
	}
	if err := writeFileAtomic(*out, draft, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "draft\t%s\nkeys\t%d\nrevoked_reports\t%d\n", *out, len(tl.Keys), len(tl.Revoked))
	return nil
}

func readTrustList(path string) (*report.TrustList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read trust list: %w", err)
	}
	tl, err := report.ParseTrustList(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tl, nil
}

// signTrustList stamps seq+1, issued_at and next_update on the draft and
// signs it with the root key.
func signTrustList(in, out, rootPath, nextRoot string, validFor time.Duration, at time.Time, stdout io.Writer) error {
	if validFor <= 0 {
		return usageError{"--valid-for must be positive"}
	}
	tl, err := readTrustList(in)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(rootPath)
	if err != nil {
		return fmt.Errorf("read root key: %w", err)
	}
	root, err := report.ParsePrivateKey(b)
	if err != nil {
		return fmt.Errorf("%s: %w", rootPath, err)
	}
	if nextRoot != "" {
		keys, err := readPublicKeys(nextRoot)
		if err != nil {
			return err
		}
		if len(keys) != 1 {
			return fmt.Errorf("%s holds %d keys; name one next root", nextRoot, len(keys))
		}
		tl.NextRoot = keys[0]
	}
	tl.Seq++
	tl.IssuedAt = at.Truncate(time.Second)
	tl.NextUpdate = tl.IssuedAt.Add(validFor)
	signed, err := report.SignTrustList(tl, root)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(out, signed, 0o644); err != nil {
		return err
	}
	kid := report.KeyID(root.Public().(ed25519.PublicKey))
	fmt.Fprintf(stdout, "trust_list\t%s\nseq\t%d\nroot_kid\t%s\nbytes\t%d\n", out, tl.Seq, hex.EncodeToString(kid[:]), len(signed))
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func init() {
	commands["evidence"] = command{Usage: "--db PATH --app UUID [--out DIR] | --compact [--older-than 168h] — list an application's evidence files (with --out, write them there), or drop unfinished uploads and files no application names", Run: runEvidence}
}

func runEvidence(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("evidence", flag.ContinueOnError)
	appID := fs.String("app", "", "application UUID")
	out := fs.String("out", "", "directory to write the files to (created if needed)")
	compact := fs.Bool("compact", false, "drop unfinished uploads and files no application names")
	olderThan := fs.Duration("older-than", 7*24*time.Hour, "with --compact: only those older than this")
	s, code := open(ctx, fs, args, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if *compact {
		uploads, files, err := s.CompactBlobs(ctx, *olderThan)
		if err != nil {
			return fail(stderr, "evidence", err)
		}
		fmt.Fprintf(stdout, "dropped %d unfinished uploads and %d files no application names\n", uploads, files)
		return 0
	}
	if *appID == "" {
		fmt.Fprintln(stderr, "syncserver evidence: --app (or --compact) is required")
		return 2
	}
	list, err := s.Evidence(ctx, *appID)
	if err != nil {
		return fail(stderr, "evidence", err)
	}
	if len(list) == 0 {
		fmt.Fprintf(stdout, "application %s: no evidence files\n", *appID)
		return 0
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o700); err != nil {
			return fail(stderr, "evidence", fmt.Errorf("create %s: %w", *out, err))
		}
	}
	for _, e := range list {
		line := fmt.Sprintf("%s  %-15s %9d  %s  %s", e.SHA256[:12], e.Type, e.Size, e.ReceivedAt.In(credit.China).Format("2006-01-02 15:04"), e.Name)
		if *out != "" {
			data, _, err := s.EvidenceFile(ctx, *appID, e.SHA256)
			if err != nil {
				return fail(stderr, "evidence", err)
			}
			path := filepath.Join(*out, evidenceFileName(e.SHA256, e.Name, e.Type))
			if err := os.WriteFile(path, data, 0o600); err != nil {
				return fail(stderr, "evidence", fmt.Errorf("write %s: %w", path, err))
			}
			line += "  → " + path
		}
		fmt.Fprintln(stdout, line)
	}
	return 0
}

// evidenceFileName makes a safe local name from a name a device sent: the
// hash prefix (unique), the base name without separators or control
// characters, and the extension of the type the platform recognised (a
// "report.exe" that is a PDF is written as a .pdf).
func evidenceFileName(sha, name, typ string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, filepath.Base(name))
	clean = strings.TrimLeft(clean, ".")
	ext := protocol.EvidenceExtension(typ)
	if e := strings.ToLower(filepath.Ext(clean)); e != ext && !(ext == ".jpg" && e == ".jpeg") {
		clean += ext
	}
	return sha[:12] + "-" + clean
}

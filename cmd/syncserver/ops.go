package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// The platform officer's subcommands (Arts. 46-48). Each runs one
// syncserver operation on the database directly; the devices see the
// outcome at their next sync.
func init() {
	commands["label"] = command{Usage: "--db PATH --id UUID [--officer ID] — label an objection (within 1 working day, Art. 46)", Run: runLabel}
	commands["review"] = command{Usage: "--db PATH --id UUID [--officer ID] — start reviewing a labelled objection", Run: runReview}
	commands["decide"] = command{Usage: "--db PATH --id UUID --corrected [--record FILE.json] | --not-corrected --reasons TEXT — decide an objection", Run: runDecide}
	commands["restoration"] = command{Usage: "accept|reject|decide --db PATH --id UUID [--reasons TEXT] [--restored|--refused] — handle a restoration (Art. 47)", Run: runRestoration}
	commands["close"] = command{Usage: "--db PATH --id UUID [--note TEXT] — close a decided application", Run: runClose}
	commands["revoke"] = command{Usage: "--db PATH --record ID [--note TEXT] — withdraw a record whose basis was revoked (Art. 48)", Run: runRevoke}
	commands["overdue"] = command{Usage: "--db PATH [--all] — applications past their label/decision deadlines, in working days", Run: runOverdue}
}

// holidays is the official working-day calendar embedded in assets.
func holidays() (credit.Calendar, error) {
	cal, err := credit.LoadHolidays(assets.Holidays())
	if err != nil {
		return nil, fmt.Errorf("holiday calendar: %w", err)
	}
	return credit.NewLiveCalendar(cal), nil // + published years: refreshCalendar (calendar.go)
}

// officerOptions reads the officers file of serve (no file: no officer
// may use /platform/v1) and loads the holiday calendar.
func officerOptions(path string) (map[string]string, credit.Calendar, error) {
	cal, err := holidays()
	if err != nil {
		return nil, nil, err
	}
	if path == "" {
		return nil, cal, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("officers: %w", err)
	}
	defer f.Close()
	officers, err := parseOfficers(f)
	if err != nil {
		return nil, nil, fmt.Errorf("officers %s: %w", path, err)
	}
	return officers, cal, nil
}

// parseOfficers reads TOKEN=OFFICERID lines; blank lines and lines
// starting with # are skipped. Tokens are at least 16 characters and
// unique. Tokens live in a file, not in flags, so they never show in a
// process listing.
func parseOfficers(r io.Reader) (map[string]string, error) {
	officers := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tok, id, ok := strings.Cut(line, "=")
		tok, id = strings.TrimSpace(tok), strings.TrimSpace(id)
		switch {
		case !ok || tok == "" || id == "":
			return nil, fmt.Errorf("line %d: want TOKEN=OFFICERID", n)
		case len(tok) < 16:
			return nil, fmt.Errorf("line %d: an officer token must have at least 16 characters", n)
		case officers[tok] != "":
			return nil, fmt.Errorf("line %d: the token is given twice", n)
		}
		officers[tok] = id
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return officers, nil
}

// opsCommand is what every officer subcommand shares: --db, --officer and
// the holiday calendar.
type opsCommand struct {
	fs      *flag.FlagSet
	officer *string
	id      *string
}

func newOpsCommand(name string, withID bool) *opsCommand {
	c := &opsCommand{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	c.officer = c.fs.String("officer", defaultOfficer(), "officer id recorded with the action")
	if withID {
		c.id = c.fs.String("id", "", "application UUID")
	}
	return c
}

func defaultOfficer() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// open parses args and opens the server with the holiday calendar.
func (c *opsCommand) open(ctx context.Context, args []string, stderr io.Writer) (*syncserver.Server, int) {
	cal, err := holidays()
	if err != nil {
		return nil, fail(stderr, c.fs.Name(), err)
	}
	s, code := open(ctx, c.fs, args, stderr, func() syncserver.Options { return syncserver.Options{Calendar: cal} })
	if s == nil {
		return nil, code
	}
	refreshCalendar(ctx, s, cal, newLogger(stderr))
	if c.id != nil && *c.id == "" {
		fmt.Fprintf(stderr, "syncserver %s: --id is required\n", c.fs.Name())
		s.Close()
		return nil, 2
	}
	return s, 0
}

func runLabel(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("label", true)
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	st, err := s.ApplyLabel(ctx, *c.officer, *c.id)
	if err != nil {
		return fail(stderr, "label", err)
	}
	printState(stdout, st)
	return 0
}

func runReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("review", true)
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	st, err := s.StartReview(ctx, *c.officer, *c.id)
	if err != nil {
		return fail(stderr, "review", err)
	}
	printState(stdout, st)
	return 0
}

func runDecide(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("decide", true)
	corrected := c.fs.Bool("corrected", false, "the record is corrected (replaced by --record, or withdrawn)")
	notCorrected := c.fs.Bool("not-corrected", false, "the record stands; --reasons are required (Art. 46)")
	reasons := c.fs.String("reasons", "", "written reasons, sent to the citizen")
	recordFile := c.fs.String("record", "", "JSON file of the corrected record (wire form); without it a correction withdraws the record")
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if *corrected == *notCorrected {
		fmt.Fprintln(stderr, "syncserver decide: give exactly one of --corrected and --not-corrected")
		return 2
	}
	var rec *credit.Record
	if *recordFile != "" {
		if !*corrected {
			fmt.Fprintln(stderr, "syncserver decide: --record goes with --corrected")
			return 2
		}
		r, err := readRecord(*recordFile)
		if err != nil {
			fmt.Fprintf(stderr, "syncserver decide: %v\n", err)
			return 2
		}
		rec = &r
	}
	st, err := s.DecideObjection(ctx, *c.officer, *c.id, *corrected, *reasons, rec)
	if err != nil {
		return fail(stderr, "decide", err)
	}
	printState(stdout, st)
	return 0
}

func readRecord(path string) (credit.Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return credit.Record{}, fmt.Errorf("read record: %w", err)
	}
	var w protocol.RecordV1
	if err := json.Unmarshal(b, &w); err != nil {
		return credit.Record{}, fmt.Errorf("record %s: %w", path, err)
	}
	return protocol.RecordFromWire(w, 0), nil
}

func runRestoration(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "syncserver restoration: want accept, reject or decide")
		return 2
	}
	verb := args[0]
	c := newOpsCommand("restoration "+verb, true)
	reasons := c.fs.String("reasons", "", "written reasons (required to reject or refuse)")
	restored := c.fs.Bool("restored", false, "decide: restore the credit (the record is deleted)")
	refused := c.fs.Bool("refused", false, "decide: refuse the restoration (--reasons required)")
	switch verb {
	case "accept", "reject", "decide":
	default:
		fmt.Fprintf(stderr, "syncserver restoration: unknown action %q (accept, reject or decide)\n", verb)
		return 2
	}
	s, code := c.open(ctx, args[1:], stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	var st syncserver.ApplicationState
	var err error
	switch verb {
	case "accept":
		st, err = s.AcceptRestoration(ctx, *c.officer, *c.id)
	case "reject":
		st, err = s.RejectRestoration(ctx, *c.officer, *c.id, *reasons)
	case "decide":
		if *restored == *refused {
			fmt.Fprintln(stderr, "syncserver restoration decide: give exactly one of --restored and --refused")
			return 2
		}
		st, err = s.DecideRestoration(ctx, *c.officer, *c.id, *restored, *reasons)
	}
	if err != nil {
		return fail(stderr, "restoration "+verb, err)
	}
	printState(stdout, st)
	return 0
}

func runClose(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("close", true)
	note := c.fs.String("note", "", "note sent with the closing")
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	st, err := s.CloseApplication(ctx, *c.officer, *c.id, *note)
	if err != nil {
		return fail(stderr, "close", err)
	}
	printState(stdout, st)
	return 0
}

func runRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("revoke", false)
	record := c.fs.String("record", "", "record id")
	note := c.fs.String("note", "", "the revoking decision (kept on the platform)")
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if *record == "" {
		fmt.Fprintln(stderr, "syncserver revoke: --record is required")
		return 2
	}
	rv, err := s.RevokeBasis(ctx, *c.officer, *record, *note)
	if err != nil {
		return fail(stderr, "revoke", err)
	}
	fmt.Fprintf(stdout, "record %s revoked (tombstone ver %d); devices must delete it by %s\n",
		rv.RecordID, rv.Version, rv.WithdrawDue.In(credit.China).Format(time.DateTime))
	return 0
}

func runOverdue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newOpsCommand("overdue", false)
	all := c.fs.Bool("all", false, "list every open application, late or not")
	s, code := c.open(ctx, args, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	list := s.OverdueApplications
	if *all {
		list = s.ApplicationStates
	}
	apps, err := list(ctx)
	if err != nil {
		return fail(stderr, "overdue", err)
	}
	n := 0
	for _, a := range apps {
		if a.Pending == nil {
			continue
		}
		n++
		p := a.Pending
		late := "on time"
		if p.Late {
			late = fmt.Sprintf("LATE %d working day(s)", p.WorkingDaysLate)
		}
		prov := ""
		if p.Provisional {
			prov = " (provisional)"
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s due %s%s\t%s\n", a.ID, a.Kind, a.Status, p.Name,
			p.Due.In(credit.China).Format(time.DateOnly), prov, late)
	}
	if n == 0 {
		fmt.Fprintln(stdout, "no application is past a deadline")
	}
	return 0
}

// printState prints an application after an operation, with the label
// report when there is one.
func printState(w io.Writer, st syncserver.ApplicationState) {
	fmt.Fprintf(w, "application %s (%s) is now %s\n", st.ID, st.Kind, st.Status)
	if l := st.Label; l != nil {
		when := "on time"
		if l.Late {
			when = fmt.Sprintf("%d working day(s) late", l.WorkingDaysLate)
		}
		fmt.Fprintf(w, "label applied %s, due %s: %s\n", l.At.In(credit.China).Format(time.DateTime),
			l.Due.In(credit.China).Format(time.DateTime), when)
	}
	if p := st.Pending; p != nil {
		fmt.Fprintf(w, "next: %s due %s\n", p.Name, p.Due.In(credit.China).Format(time.DateOnly))
	}
}

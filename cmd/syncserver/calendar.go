package main

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func init() {
	commands["calendar"] = command{
		Usage: "publish --db PATH --key FILE (--year YYYY --file YYYY.json | --counties FILE) [--version N] | list --db PATH | pubkey --key FILE" +
			" — publish a holiday notice year (holiday-cn JSON) or the county overrides to every device, signed with the platform calendar key",
		Run: runCalendar,
	}
}

const calendarUsage = `usage: syncserver calendar publish --db PATH --key FILE (--year YYYY --file YYYY.json | --counties FILE) [--version N]
       syncserver calendar list --db PATH
       syncserver calendar pubkey --key FILE   (the public key devices are given to check calendars)`

func runCalendar(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, calendarUsage)
		return 2
	}
	switch args[0] {
	case "publish":
		return runCalendarPublish(ctx, args[1:], stdout, stderr)
	case "list":
		fs := flag.NewFlagSet("calendar list", flag.ContinueOnError)
		s, code := open(ctx, fs, args[1:], stderr, nil)
		if s == nil {
			return code
		}
		defer s.Close()
		cs, err := s.Calendars(ctx)
		if err != nil {
			return fail(stderr, "calendar list", err)
		}
		for _, c := range cs {
			fmt.Fprintf(stdout, "%s\tversion %d\tpublished %s\n", c.ID, c.Version, c.PublishedAt)
		}
		return 0
	case "pubkey":
		fs := flag.NewFlagSet("calendar pubkey", flag.ContinueOnError)
		fs.SetOutput(stderr)
		keyPath := fs.String("key", "", "platform calendar key (PEM Ed25519)")
		if err := fs.Parse(args[1:]); err != nil || *keyPath == "" || fs.NArg() != 0 {
			fmt.Fprintln(stderr, calendarUsage)
			return 2
		}
		key, err := readCalendarKey(*keyPath)
		if err != nil {
			fmt.Fprintf(stderr, "syncserver calendar pubkey: %v\n", err)
			return 1
		}
		b, err := report.MarshalPublicKey(key.Public().(ed25519.PublicKey))
		if err != nil {
			fmt.Fprintf(stderr, "syncserver calendar pubkey: %v\n", err)
			return 1
		}
		_, _ = stdout.Write(b)
		return 0
	}
	fmt.Fprintln(stderr, calendarUsage)
	return 2
}

// readCalendarKey reads the platform calendar key.
func readCalendarKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	key, err := report.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

func runCalendarPublish(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calendar publish", flag.ContinueOnError)
	keyPath := fs.String("key", "", "platform calendar key (PEM Ed25519) to sign with")
	year := fs.Int("year", 0, "year of the holiday notice in --file")
	file := fs.String("file", "", "the year's holiday-cn JSON file (NateScarlet/holiday-cn format)")
	countiesPath := fs.String("counties", "", "county overrides (JSON, credit.CountyFile) instead of a year")
	version := fs.Int64("version", 0, "version of the update (default: the published version + 1)")
	// Check the flags before opening the database.
	fs.SetOutput(stderr)
	var dbPath string
	fs.StringVar(&dbPath, "db", "", "server database (SQLite file)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if dbPath == "" || *keyPath == "" || fs.NArg() != 0 || (*countiesPath == "") == (*file == "") || (*file != "") != (*year != 0) {
		fmt.Fprintln(stderr, calendarUsage)
		return 2
	}
	key, err := readCalendarKey(*keyPath)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver calendar publish: %v\n", err)
		return 1
	}
	u := credit.CalendarUpdate{Kind: credit.CalendarCounties, IssuedAt: time.Now()}
	if *file != "" {
		data, err := os.ReadFile(*file)
		if err == nil {
			u.Kind = credit.CalendarYear
			u.Year, err = credit.ParseHolidayYear(data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "syncserver calendar publish: --file %s: %v\n", *file, err)
			return 1
		}
		if u.Year.Year != *year {
			fmt.Fprintf(stderr, "syncserver calendar publish: --file %s is for year %d, not %d\n", *file, u.Year.Year, *year)
			return 1
		}
		if len(u.Year.Days) == 0 {
			fmt.Fprintf(stderr, "syncserver calendar publish: --file %s lists no days: the %d notice is not out yet\n", *file, *year)
			return 1
		}
	} else {
		data, err := os.ReadFile(*countiesPath)
		if err == nil {
			u.Counties, err = credit.ParseCounties(data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "syncserver calendar publish: --counties %s: %v\n", *countiesPath, err)
			return 1
		}
	}
	s, code := open(ctx, flag.NewFlagSet("calendar publish", flag.ContinueOnError), []string{"--db", dbPath}, stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	u.Version = *version
	if u.Version == 0 {
		cur, err := s.CalendarVersion(ctx, u.ID())
		if err != nil {
			return fail(stderr, "calendar publish", err)
		}
		u.Version = cur + 1
	}
	signed, err := credit.SignCalendar(u, key)
	if err != nil {
		fmt.Fprintf(stderr, "syncserver calendar publish: %v\n", err)
		return 1
	}
	_, changed, err := s.PublishCalendar(ctx, signed, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)})
	if err != nil {
		return fail(stderr, "calendar publish", err)
	}
	if !changed {
		fmt.Fprintf(stdout, "%s version %d already published\n", u.ID(), u.Version)
		return 0
	}
	fmt.Fprintf(stdout, "published %s version %d: devices take it on their next sync\n", u.ID(), u.Version)
	return 0
}

// calendarEvery is how often serve takes in calendars published since.
const calendarEvery = 10 * time.Minute

// refreshCalendar puts the notice years published on s into cal (a
// credit.LiveCalendar from holidays), so the platform counts officer
// deadlines on the calendar it sends the devices. Problems are logged and
// the calendar held is kept.
func refreshCalendar(ctx context.Context, s *syncserver.Server, cal credit.Calendar, log *slog.Logger) {
	live, ok := cal.(*credit.LiveCalendar)
	if !ok {
		return
	}
	years, err := s.PublishedYears(ctx)
	if err != nil {
		log.WarnContext(ctx, "published calendars not read", "err", err)
		return
	}
	base, err := credit.ReadHolidayYears(assets.Holidays())
	if err != nil {
		log.WarnContext(ctx, "holiday calendar unusable", "err", err)
		return
	}
	c, err := credit.CalendarSources{Base: base, Synced: years}.Build()
	if err != nil {
		log.WarnContext(ctx, "published calendars unusable", "err", err)
		return
	}
	live.Set(c)
}

// calendarLoop refreshes cal every calendarEvery until ctx ends.
func calendarLoop(ctx context.Context, s *syncserver.Server, cal credit.Calendar, log *slog.Logger) {
	for {
		refreshCalendar(ctx, s, cal, log)
		select {
		case <-ctx.Done():
			return
		case <-time.After(calendarEvery):
		}
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/store"
)

func init() {
	register(command{
		name:  "deadline",
		usage: "--from TIME --working-days N [--county CODE] [--db PATH] — the date N working days after TIME (provisional if it reaches a year without a holiday notice)",
		run:   runDeadline,
	})
}

// maxDeadlineDays bounds --working-days: the longest deadline of the
// regulation is 10 working days; a year is ample.
const maxDeadlineDays = 366

// fromLayouts are the accepted forms of --from; without an offset the time
// is China time.
var fromLayouts = []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// parseFrom reads a --from value.
func parseFrom(s string) (time.Time, bool) {
	for _, l := range fromLayouts {
		if t, err := time.ParseInLocation(l, s, credit.China); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// runDeadline prints the deadline date, followed by "provisional" when a
// counted day lies in a year whose holiday notice is not loaded.
func runDeadline(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fromStr := fs.String("from", "", "time of receipt: RFC 3339, or 2006-01-02[ 15:04] in China time")
	n := fs.Int("working-days", -1, "number of working days (the day of receipt is not counted)")
	county := fs.String("county", "", "6-digit county code; adds the county's own days off (Gannan 6230xx, Linxia 6229xx)")
	dir := fs.String("holidays", "", "directory of holiday-cn YYYY.json files to use instead of the built-in ones")
	countiesPath := fs.String("counties", "", "county calendar file (JSON, credit.CountyFile) to use instead of the built-in one")
	dbPath := fs.String("db", "", "a terminal's database: also count with the calendar years and county overrides it received through sync, and its local days off")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *fromStr == "" || *n < 0 {
		fmt.Fprintln(stderr, "usage: creditctl deadline --from TIME --working-days N [--county CODE] [--holidays DIR] [--counties FILE] [--db PATH]")
		return 2
	}
	from, ok := parseFrom(*fromStr)
	if !ok {
		fmt.Fprintf(stderr, "creditctl deadline: --from %q is not a time (use 2026-09-30, 2026-09-30 15:00 or RFC 3339)\n", *fromStr)
		return 2
	}
	if y := from.In(credit.China).Year(); y < 1949 || y > 2999 {
		fmt.Fprintf(stderr, "creditctl deadline: --from %q: year %d is out of range (1949–2999)\n", *fromStr, y)
		return 2
	}
	if *n < 1 || *n > maxDeadlineDays {
		fmt.Fprintf(stderr, "creditctl deadline: --working-days %d must be between 1 and %d\n", *n, maxDeadlineDays)
		return 2
	}
	if *county != "" {
		if err := credit.ValidCountyCode(*county); err != nil {
			fmt.Fprintf(stderr, "creditctl deadline: --county %q: %s (%s)\n", *county, credit.ErrorMessageEN(err), credit.ErrorMessage(err))
			return 2
		}
	}
	cal, err := deadlineCalendar(ctx, *dir, *dbPath, *countiesPath, *county)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl deadline: %v\n", err)
		return 2
	}
	end, provisional := credit.Deadline(cal, from, *n)
	if provisional {
		fmt.Fprintf(stdout, "%s\tprovisional\n", end.Format("2006-01-02"))
		return 0
	}
	fmt.Fprintln(stdout, end.Format("2006-01-02"))
	return 0
}

// deadlineCalendar builds the calendar deadline counts on: the built-in
// notices (or those in dir), the years, county overrides and local days
// off a terminal's database at dbPath holds (synced years win), and the
// county file at countiesPath in place of any other county overrides.
func deadlineCalendar(ctx context.Context, dir, dbPath, countiesPath, county string) (*credit.HolidayCalendar, error) {
	fsys := assets.Holidays()
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	base, err := credit.ReadHolidayYears(fsys)
	if err != nil {
		return nil, err
	}
	src := credit.CalendarSources{Base: base, County: county}
	if dbPath != "" {
		// store.Open would create a missing file and count without it.
		if st, err := os.Stat(dbPath); err != nil || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("--db %s is not a database file", dbPath)
		}
		db, err := store.Open(ctx, dbPath)
		if err != nil {
			return nil, fmt.Errorf("--db: %w", err)
		}
		defer db.Close()
		if src, err = db.CalendarSources(ctx, base, county); err != nil {
			return nil, fmt.Errorf("--db: %w", err)
		}
	}
	if countiesPath != "" {
		data, err := os.ReadFile(countiesPath)
		if err == nil {
			src.Counties, err = credit.ParseCounties(data)
		}
		if err != nil {
			return nil, fmt.Errorf("--counties: %w", err)
		}
	}
	return src.Build()
}

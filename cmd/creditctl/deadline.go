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
)

func init() {
	register(command{
		name:  "deadline",
		usage: "--from TIME --working-days N [--county CODE] — the date N working days after TIME (provisional if it reaches a year without a holiday notice)",
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
func runDeadline(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fromStr := fs.String("from", "", "time of receipt: RFC 3339, or 2006-01-02[ 15:04] in China time")
	n := fs.Int("working-days", -1, "number of working days (the day of receipt is not counted)")
	county := fs.String("county", "", "6-digit county code; adds the county's own days off (Gannan 6230xx, Linxia 6229xx)")
	dir := fs.String("holidays", "", "directory of holiday-cn YYYY.json files to use instead of the built-in ones")
	countiesPath := fs.String("counties", "", "county calendar file (JSON, credit.CountyFile) to use instead of the built-in one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *fromStr == "" || *n < 0 {
		fmt.Fprintln(stderr, "usage: creditctl deadline --from TIME --working-days N [--county CODE] [--holidays DIR] [--counties FILE]")
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
	src := assets.Holidays()
	if *dir != "" {
		src = os.DirFS(*dir)
	}
	cal, err := credit.LoadHolidays(src)
	if err != nil {
		fmt.Fprintf(stderr, "creditctl deadline: %v\n", err)
		return 2
	}
	counties := credit.Counties
	if *countiesPath != "" {
		data, err := os.ReadFile(*countiesPath)
		if err == nil {
			counties, err = credit.ParseCounties(data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "creditctl deadline: --counties: %v\n", err)
			return 2
		}
	}
	if *county != "" {
		if err := credit.ValidCountyCode(*county); err != nil {
			fmt.Fprintf(stderr, "creditctl deadline: --county %q: %s (%s)\n", *county, credit.ErrorMessageEN(err), credit.ErrorMessage(err))
			return 2
		}
		if c := credit.FindCounty(counties, *county); c != nil {
			if cal, err = cal.WithLocal(*c); err != nil {
				fmt.Fprintf(stderr, "creditctl deadline: --county %q: %v\n", *county, err)
				return 2
			}
		}
	}
	end, provisional := credit.Deadline(cal, from, *n)
	if provisional {
		fmt.Fprintf(stdout, "%s\tprovisional\n", end.Format("2006-01-02"))
		return 0
	}
	fmt.Fprintln(stdout, end.Format("2006-01-02"))
	return 0
}

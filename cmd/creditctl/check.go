package main

import (
	"context"
	"fmt"
	"io"

	credit "github.com/gansu-credit/credit"
)

func init() {
	register(command{
		name:  "check",
		usage: "ID... — validate resident ID numbers and credit codes (USCC); exit 0 only if all are valid",
		run:   runCheck,
	})
}

// runCheck prints one line per input: the normalised identifier, its kind
// and "valid", or the reason it is invalid.
func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: creditctl check ID...")
		return 2
	}
	code := 0
	for _, a := range args {
		id, kind, err := credit.ParseSubjectID(a)
		if err != nil {
			fmt.Fprintf(stdout, "%s\tinvalid: %s (%s)\n", a, credit.ErrorMessageEN(err), credit.ErrorMessage(err))
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s\t%s\tvalid\n", id, kind)
	}
	return code
}

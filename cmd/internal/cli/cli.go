// Package cli dispatches a program's subcommands (creditctl, syncserver):
// `prog <command> [flags]`, with a sorted usage list.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// Command is one subcommand. Run returns the process exit status.
type Command struct {
	Usage string // one line: arguments and what it does
	Run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// Dispatch runs the command named by args[0]. No arguments print the usage
// and return 2; help, -h and --help print it and return 0; an unknown
// command is named, with the usage, and returns 2.
func Dispatch(ctx context.Context, prog string, cmds map[string]Command, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		Usage(stderr, prog, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", prog, args[0])
		Usage(stderr, prog, cmds)
		return 2
	}
	return c.Run(ctx, args[1:], stdout, stderr)
}

// Usage lists the commands, sorted by name.
func Usage(w io.Writer, prog string, cmds map[string]Command) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\n", prog)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].Usage)
	}
}

// Command creditctl runs the terminal's operations without a screen: sync,
// lookup, search, report, verify, check, card.
//
// Each subcommand lives in its own file and registers itself in init.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gansu-credit/credit/cmd/internal/cli"
)

// command is one subcommand. run returns the process exit status.
type command struct {
	name  string
	usage string // one line: arguments and what it does
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("creditctl: duplicate command " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main dispatches args[0] to its subcommand. Tests call it directly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := make(map[string]cli.Command, len(commands))
	for name, c := range commands {
		cmds[name] = cli.Command{Usage: c.usage, Run: c.run}
	}
	return cli.Dispatch(ctx, "creditctl", cmds, args, stdout, stderr)
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/store"
)

// stdin is where `clerk add` reads the password; tests replace it.
var stdin io.Reader = os.Stdin

// passwordEnv names the variable `clerk add` takes the password from,
// before standard input. A password is never a flag: flags show in ps.
const passwordEnv = "CREDIT_CLERK_PASSWORD"

func init() {
	register(command{
		name:  "clerk",
		usage: "add --db PATH --id C001 --name 王芳 --role clerk|supervisor (password from $" + passwordEnv + " or stdin) | list --db PATH",
		run:   runClerk,
	})
}

func runClerk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: creditctl clerk add|list --db PATH ...")
		return 2
	}
	switch args[0] {
	case "add":
		return runClerkAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runClerkList(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "creditctl clerk: unknown subcommand %q (add, list)\n", args[0])
	return 2
}

func runClerkAdd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clerk add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "office database path (required)")
	id := fs.String("id", "", "staff number, e.g. C001 (required)")
	name := fs.String("name", "", "the clerk's name (required)")
	role := fs.String("role", string(credit.RoleClerk), "clerk or supervisor")
	memory := fs.Uint("argon2-memory", uint(app.DefaultArgon2.Memory), "argon2id memory cost in KiB (RFC 9106: 65536)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: creditctl clerk add --db PATH --id C001 --name 王芳 --role clerk")
		return 2
	}
	pw, err := readPassword(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl clerk add:", err)
		return 2
	}
	d, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl clerk add:", err)
		return 1
	}
	defer d.Close()
	params := app.DefaultArgon2
	params.Memory = uint32(min(*memory, 1<<20))
	office := app.NewOffice(app.OfficeDeps{Clerks: d, Argon2: params})
	c := credit.Clerk{ID: strings.TrimSpace(*id), Name: *name, Role: credit.Role(*role)}
	if err := office.AddClerk(ctx, c, pw); err != nil {
		fmt.Fprintf(stderr, "creditctl clerk add: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
		if credit.ErrorCode(err) == credit.EINTERNAL {
			fmt.Fprintln(stderr, err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "added %s\t%s\t%s\n", c.ID, strings.TrimSpace(c.Name), c.Role)
	return 0
}

// readPassword takes the password from $CREDIT_CLERK_PASSWORD, or else the
// first line of standard input.
func readPassword(stderr io.Writer) (string, error) {
	if pw := os.Getenv(passwordEnv); pw != "" {
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, "password (shown as typed; prefer $"+passwordEnv+"): ")
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password: set $%s or give it on standard input", passwordEnv)
	}
	return line, nil
}

func runClerkList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clerk list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "office database path (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: creditctl clerk list --db PATH")
		return 2
	}
	d, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl clerk list:", err)
		return 1
	}
	defer d.Close()
	cs, err := app.NewOffice(app.OfficeDeps{Clerks: d}).ListClerks(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "creditctl clerk list:", err)
		return 1
	}
	for _, c := range cs {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", c.ID, c.Name, c.Role)
	}
	return 0
}

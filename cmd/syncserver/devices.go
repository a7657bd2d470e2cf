package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

func init() {
	commands["device"] = command{Usage: "add|list|revoke|scope --db PATH [--id ID] [--scope PREFIXES] — enrolment codes, device keys and scopes", Run: runDevice}
}

// runDevice serves `syncserver device add|list|revoke|scope`.
func runDevice(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := func() int {
		fmt.Fprintln(stderr, "usage: syncserver device add --db PATH --id DEVICE-ID [--scope COUNTY]\n"+
			"       syncserver device list --db PATH\n"+
			"       syncserver device revoke --db PATH --id DEVICE-ID\n"+
			"       syncserver device scope --db PATH --id DEVICE-ID --scope PREFIXES   (\"\" = whole province)")
		return 2
	}
	if len(args) == 0 {
		return usage()
	}
	fs := flag.NewFlagSet("device "+args[0], flag.ContinueOnError)
	var id, scope *string
	switch args[0] {
	case "add":
		id = fs.String("id", "", "device id, e.g. KIOSK-620102-01")
		scope = fs.String("scope", "", "county code(s) the device serves, e.g. 620102")
	case "revoke":
		id = fs.String("id", "", "device id")
	case "scope":
		id = fs.String("id", "", "device id")
		scope = fs.String("scope", "", `division-code prefixes the device serves, e.g. 620102,620103 or 6201; "" for the whole province`)
	case "list":
	default:
		return usage()
	}
	s, code := open(ctx, fs, args[1:], stderr, nil)
	if s == nil {
		return code
	}
	defer s.Close()
	if id != nil && *id == "" {
		fmt.Fprintf(stderr, "syncserver device %s: --id is required\n", args[0])
		return 2
	}
	switch args[0] {
	case "add":
		code, exp, err := s.AddDevice(ctx, *id, *scope)
		if err != nil {
			return fail(stderr, "device add", err)
		}
		// The code goes to stdout only, once: it is stored as a hash.
		fmt.Fprintf(stdout, "device %s: one-time enrolment code (shown once, valid until %s):\n%s\n", *id, exp.Format(time.RFC3339), code)
		fmt.Fprintf(stdout, "on the device: creditctl enroll --server URL --device %s --code CODE --key PATH\n", *id)
	case "revoke":
		if err := s.RevokeDevice(ctx, *id); err != nil {
			return fail(stderr, "device revoke", err)
		}
		fmt.Fprintf(stdout, "device %s revoked\n", *id)
	case "scope":
		// --scope is required: an empty value (the whole province) must be
		// asked for, not the result of a forgotten flag.
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "scope" })
		if !set {
			fmt.Fprintln(stderr, `syncserver device scope: --scope is required ("" for the whole province)`)
			return 2
		}
		if err := s.SetDeviceScope(ctx, *id, *scope); err != nil {
			return fail(stderr, "device scope", err)
		}
		shown := *scope
		if strings.TrimSpace(shown) == "" {
			shown = "the whole province"
		}
		fmt.Fprintf(stdout, "device %s now serves %s; it resyncs that scope on its next pull\n", *id, shown)
	case "list":
		regs, err := s.RegisteredDevices(ctx)
		if err != nil {
			return fail(stderr, "device list", err)
		}
		now := s.Now()
		for _, r := range regs {
			state := "waiting for enrolment"
			switch {
			case r.Revoked:
				state = "revoked " + r.RevokedAt.Format(time.RFC3339)
			case r.Enrolled:
				state = "enrolled " + r.EnrolledAt.Format(time.RFC3339)
			}
			if !r.Revoked && r.CodePending {
				if now.Before(r.CodeExpires) {
					state += ", code valid until " + r.CodeExpires.Format(time.RFC3339)
				} else {
					state += ", code expired"
				}
			}
			scope := r.Scope
			if scope == "" {
				scope = "-"
			}
			fmt.Fprintf(stdout, "%s\tscope %s\t%s\n", r.ID, scope, state)
		}
	}
	return 0
}

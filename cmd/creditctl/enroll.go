package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/syncclient"
)

func init() {
	register(command{
		name:  "enroll",
		usage: "--server URL --device ID --code CODE (or $" + enrollCodeEnv + ") --key PATH — register this device's key with the platform once",
		run:   runEnroll,
	})
}

// enrollCodeEnv may carry the one-time code instead of --code.
const enrollCodeEnv = "CREDIT_ENROLL_CODE"

// DeviceKeyPath is where a device's key lives when no --key is given:
// next to its database.
func DeviceKeyPath(db string) string { return db + ".key" }

func runEnroll(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "platform base URL, e.g. http://127.0.0.1:8700")
	device := fs.String("device", "", "device id the platform registered (syncserver device add)")
	code := fs.String("code", "", "one-time enrolment code (or $"+enrollCodeEnv+")")
	keyPath := fs.String("key", "", "device key file, created (0600) when absent")
	dbPath := fs.String("db", "", "local store; the key defaults to its path plus .key")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *code == "" {
		*code = os.Getenv(enrollCodeEnv)
	}
	if *keyPath == "" && *dbPath != "" {
		*keyPath = DeviceKeyPath(*dbPath)
	}
	if *server == "" || *device == "" || *code == "" || *keyPath == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: creditctl enroll --server URL --device ID --code CODE (or $"+enrollCodeEnv+") --key PATH (or --db PATH)")
		return 2
	}
	key, err := syncclient.LoadOrCreateDeviceKey(*keyPath)
	if err != nil {
		return enrollFail(stderr, err)
	}
	res, err := syncclient.Enroll(ctx, syncclient.EnrollConfig{BaseURL: *server, DeviceID: *device, Code: *code, Key: key})
	if err != nil {
		return enrollFail(stderr, err)
	}
	scope := res.Scope
	if scope == "" {
		scope = "-"
	}
	fmt.Fprintf(stdout, "device %s enrolled (scope %s); key %s\n", res.DeviceID, scope, *keyPath)
	return 0
}

func enrollFail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "creditctl enroll: %s (%s)\n", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
	if credit.ErrorCode(err) == credit.EINTERNAL {
		fmt.Fprintf(stderr, "  %v\n", err)
	}
	return 1
}

package devicesync

import (
	"errors"
	"flag"
	"os"
)

// EnrollCodeEnv may carry the enrolment code instead of --enroll-code,
// which would show in the process list.
const EnrollCodeEnv = "CREDIT_ENROLL_CODE"

// Flags are the sync options the device apps share.
type Flags struct {
	Server     string // platform base URL; "" = no sync
	DeviceKey  string // device key file; "" = the DB path plus .key
	EnrollCode string // one-time enrolment code; enrols the key on the first sync
	// CalendarPub is the file of the platform's calendar public keys
	// (calendar.go); "" takes no calendar updates through sync.
	CalendarPub string
}

// Register adds --server, --device-key, --enroll-code and --calendar-pub
// to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Server, "server", f.Server, "platform base URL for sync (optional)")
	fs.StringVar(&f.DeviceKey, "device-key", f.DeviceKey, "device key file (default: the --db path plus .key; created 0600)")
	fs.StringVar(&f.EnrollCode, "enroll-code", f.EnrollCode, "one-time enrolment code from `syncserver device add` (or $"+EnrollCodeEnv+"); needed once")
	fs.StringVar(&f.CalendarPub, "calendar-pub", f.CalendarPub, "platform calendar public key(s) (`syncserver calendar pubkey`): take signed holiday calendars through sync")
}

// Check takes the enrolment code from the environment when the flag is
// empty and refuses a code without a server.
func (f *Flags) Check() error {
	if f.EnrollCode == "" {
		f.EnrollCode = os.Getenv(EnrollCodeEnv)
	}
	if f.EnrollCode != "" && f.Server == "" {
		return errors.New("--enroll-code needs --server")
	}
	return nil
}

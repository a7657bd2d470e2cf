package devicesync

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/gansu-credit/credit/app/report"
)

// EnrollCodeEnv may carry the enrolment code instead of --enroll-code,
// which would show in the process list.
const EnrollCodeEnv = "CREDIT_ENROLL_CODE"

// ReceiptPubUsage is the help text of --receipt-pub, shared with
// `creditctl sync`.
const ReceiptPubUsage = "platform receipt public key(s) (`syncserver keys receipt`): store only receipts the platform signed; others leave the application pending"

// Flags are the sync options the device apps share.
type Flags struct {
	Server     string // platform base URL; "" = no sync
	DeviceKey  string // device key file; "" = the DB path plus .key
	EnrollCode string // one-time enrolment code; enrols the key on the first sync
	// CalendarPub is the file of the platform's calendar public keys
	// (calendar.go); "" takes no calendar updates through sync.
	CalendarPub string
	// ReceiptPub is the file of the platform's receipt public keys
	// (LoadReceiptKeys); "" checks no receipt signature.
	ReceiptPub string
}

// Register adds --server, --device-key, --enroll-code, --calendar-pub and
// --receipt-pub to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Server, "server", f.Server, "platform base URL for sync (optional)")
	fs.StringVar(&f.DeviceKey, "device-key", f.DeviceKey, "device key file (default: the --db path plus .key; created 0600)")
	fs.StringVar(&f.EnrollCode, "enroll-code", f.EnrollCode, "one-time enrolment code from `syncserver device add` (or $"+EnrollCodeEnv+"); needed once")
	fs.StringVar(&f.CalendarPub, "calendar-pub", f.CalendarPub, "platform calendar public key(s) (`syncserver calendar pubkey`): take signed holiday calendars through sync")
	fs.StringVar(&f.ReceiptPub, "receipt-pub", f.ReceiptPub, ReceiptPubUsage)
}

// Check takes the enrolment code from the environment when the flag is
// empty, refuses a code without a server and checks that --receipt-pub
// holds keys, so a bad file stops the app at start.
func (f *Flags) Check() error {
	if f.EnrollCode == "" {
		f.EnrollCode = os.Getenv(EnrollCodeEnv)
	}
	if f.EnrollCode != "" && f.Server == "" {
		return errors.New("--enroll-code needs --server")
	}
	_, err := LoadReceiptKeys(f.ReceiptPub)
	return err
}

// LoadReceiptKeys reads the platform's receipt public keys (PEM, one or
// more: the current key and one being rotated in). "" is no keys.
func LoadReceiptKeys(path string) ([]ed25519.PublicKey, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--receipt-pub: %w", err)
	}
	keys, err := report.ParsePublicKeys(b)
	if err != nil {
		return nil, fmt.Errorf("--receipt-pub %s: %w", path, err)
	}
	return keys, nil
}

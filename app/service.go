// Package app holds the kiosk's use cases: read the holder's card and show
// their records, search and open a business, file an objection, end the
// session. It declares the ports it needs (ports.go) and publishes events
// (events.go) for the UI; it knows nothing of SQLite, serial ports, HTTP or
// the toolkit.
package app

import (
	"crypto"
	"log/slog"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// DefaultStaleAfter is how old the cached data may be before the kiosk says
// it cannot confirm it is current.
const DefaultStaleAfter = 72 * time.Hour

// Deps are the parts a Service is built from. Records, Inquiries and
// Applications are required; the rest have defaults.
type Deps struct {
	Records      Records
	Inquiries    InquiryLog
	Applications Applications
	Card         CardReader      // nil: no reader attached
	CardWatch    CardWatcher     // nil: RunCardWatch polls Card instead; set with Card (taps read through Card)
	Calendar     credit.Calendar // default credit.WeekendCalendar{}
	DeviceID     string          // channel of inquiries and applications; default "kiosk"
	Now          func() time.Time
	Logger       *slog.Logger
	StaleAfter   time.Duration // default DefaultStaleAfter
	// ServerNow is the platform's time as the sync client estimates it
	// (server-anchored, advanced by a monotonic clock); staleness is
	// judged by it (staleness.go). nil: Now.
	ServerNow func() time.Time

	// Printing (all optional). Slips is the thermal receipt printer,
	// Documents the A4 printer; Signer (an Ed25519 key) signs the QR of
	// receipts and reports: without it nothing verifiable is printed.
	Slips     SlipPrinter
	Documents DocumentPrinter
	Signer    crypto.Signer
	Reports   ReportLog // counts issued reports; nil: the count is not shown
	Office    string    // issuing office printed on receipts and reports
	Region    string    // 6-digit region code in report numbers; default "620000"
	DevCode   string    // 2-character device code in report numbers; default "K1"

	// Trusted are the keys printed codes are checked against (from the
	// trust list, or a key file); the zero set trusts nothing.
	Trusted report.KeySet
	// TrustedKeys, when set, is asked for the keys at each check instead
	// of Trusted: the newest trust list the sync loop keeps.
	TrustedKeys func() report.KeySet
	// Registry queues each issued report for the platform's online
	// lookup (sent by the sync loop); nil: reports are not registered.
	Registry ReportRegistry
	// Lookup finds applications by number; nil: not offered.
	Lookup ApplicationLookup

	// SyncNow wakes the sync loop for a round now (the office's "sync
	// now" button); nil: no sync loop.
	SyncNow func()

	// EndOnCardRemoval makes RunCardWatch end a session (CardRemoved)
	// when the holder's card is taken off: with CardWatch from its
	// presence checks, otherwise by reading the card during the session.
	EndOnCardRemoval bool
}

// Service runs the kiosk's use cases. It is safe for concurrent use; a
// Session it returns belongs to one caller.
type Service struct {
	records    Records
	inquiries  InquiryLog
	apps       Applications
	card       CardReader
	watch      CardWatcher
	cal        credit.Calendar
	deviceID   string
	now        func() time.Time
	log        *slog.Logger
	staleAfter time.Duration
	serverNow  func() time.Time
	bus        *bus
	print      printDeps
	trusted    report.KeySet
	keys       func() report.KeySet
	lookup     ApplicationLookup

	cardMu  sync.Mutex // one card read at a time (button and watcher)
	stateMu sync.Mutex // guards active and armed
	active  *Session   // the open card session, nil when none
	armed   bool       // the watcher saw an empty reader since the last session

	endOnRemoval bool
	syncNow      func()
	history      syncHistory // finished sync rounds (syncrounds.go)
	missing      int         // polls in a row without the session's card (guarded by cardMu)
}

// New returns a Service over d. It does no I/O.
func New(d Deps) *Service {
	s := &Service{
		records:    d.Records,
		inquiries:  d.Inquiries,
		apps:       d.Applications,
		card:       d.Card,
		watch:      d.CardWatch,
		cal:        d.Calendar,
		deviceID:   d.DeviceID,
		now:        d.Now,
		log:        d.Logger,
		staleAfter: d.StaleAfter,
	}
	if s.cal == nil {
		s.cal = credit.WeekendCalendar{}
	}
	if s.deviceID == "" {
		s.deviceID = "kiosk"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.staleAfter <= 0 {
		s.staleAfter = DefaultStaleAfter
	}
	s.serverNow = orNow(d.ServerNow, s.now)
	s.print = newPrintDeps(d)
	s.trusted, s.keys, s.lookup = d.Trusted, d.TrustedKeys, d.Lookup
	s.endOnRemoval = d.EndOnCardRemoval
	s.syncNow = d.SyncNow
	s.bus = newBus(s.now)
	s.armed = true
	return s
}

// HasCardReader reports whether a card reader is attached.
func (s *Service) HasCardReader() bool { return s.card != nil }

// DeviceID is the channel this terminal writes into inquiries and
// applications.
func (s *Service) DeviceID() string { return s.deviceID }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// stale reports whether data synced at asOf cannot be called current, by
// the platform's clock (staleness.go).
func (s *Service) stale(asOf time.Time) bool {
	return isStale(asOf, s.serverNow(), s.staleAfter)
}

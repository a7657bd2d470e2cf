// Command kiosk is the citizen terminal: it reads the resident ID card on
// the serial reader, shows the holder their credit records from the local
// SQLite cache, takes objections and syncs with the platform.
//
//	kiosk --db /var/lib/credit/kiosk.db --port /dev/ttyUSB0 --device kiosk-620102-01 \
//	      --server https://platform.example:8700 [--enroll-code CODE, once] \
//	      [--printer-receipt /dev/usb/lp0] [--printer Office_A4] [--key kiosk.sign.key] \
//	      [--office NAME] [--trust list.tl --root-pub root.pub | --keys keys.txt]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gansu-credit/credit/cmd/internal/glwindow"

	"github.com/gansu-credit/credit/cmd/internal/devicesync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/store"
)

// version is set by the linker (-X main.version=...).
var version = "dev"

// appID is the Fyne application ID (also in FyneApp.toml).
const (
	appID   = "cn.gov.gansu.credit.kiosk"
	appName = "甘肃省公共信用信息查询终端"
)

// Config is the kiosk's command-line configuration.
type Config struct {
	DB                string // SQLite cache path
	Port              string // card reader serial port; "" = no reader
	DeviceID          string // channel recorded in inquiries and applications
	Lang              string // zh or en
	devicesync.Flags         // --server, --device-key, --enroll-code
	Fullscreen        bool
	HighContrast      bool          // start with the high-contrast theme
	Idle              time.Duration // end an untouched card session after this long
	CardPoll          time.Duration // how often the watcher checks for a card; <= 0: only on tap
	KeepOnCardRemoval bool          // do not end the session when the card is taken off
	Stale             time.Duration // data older than this is "not confirmed current"
	Verbose           bool
	MemoryLimitMiB    int         // soft limit of the Go runtime (memory.go); 0: none
	GCPercent         int         // the collector's GOGC (memory.go); 0: Go's default
	Print             PrintConfig // printers, signing key, verification keys (printing.go)
}

// DefaultConfig is the configuration before flags.
func DefaultConfig() Config {
	return Config{DB: "kiosk.db", DeviceID: "kiosk", Lang: "zh", Idle: ui.DefaultIdleTimeout, CardPoll: idcard.DefaultPoll, Stale: creditapp.DefaultStaleAfter, MemoryLimitMiB: DefaultMemoryLimitMiB, GCPercent: DefaultGCPercent}
}

// Main is the composition root: it owns the store, the reader and the
// background loops, and closes them in Close.
type Main struct {
	Config Config
	Logger *slog.Logger
	Stderr io.Writer        // flag errors and usage; os.Stderr
	Now    func() time.Time // the service clock; time.Now when nil

	db      *store.DB
	reader  io.Closer
	trust   *devicesync.Trust       // the kept trust list; nil without --root-pub (trust.go)
	clock   *devicesync.ServerClock // the platform's time for staleness, once the loop heard it
	ctx     context.Context         // of the loops; cancelled by Close
	cancel  context.CancelFunc
	loops   sync.WaitGroup
	closeMu sync.Once

	// calendar is the working-day calendar, updated through sync with
	// --calendar-pub (devicesync.OpenCalendar).
	calendar devicesync.Calendar
}

// NewMain returns a Main with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Stderr: os.Stderr, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
}

func main() {
	m := NewMain()
	if err := m.ParseFlags(os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(2)
	}
	setMemoryLimit(m.Config.MemoryLimitMiB)
	setGCPercent(m.Config.GCPercent)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		m.Logger.Error("kiosk stopped", "err", err)
		os.Exit(1)
	}
}

// ParseFlags reads the command line into m.Config.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	c := &m.Config
	fs.StringVar(&c.DB, "db", c.DB, "path of the SQLite cache")
	fs.StringVar(&c.Port, "port", c.Port, "serial port of the ID card reader (optional)")
	fs.StringVar(&c.DeviceID, "device", c.DeviceID, "device ID recorded in inquiries and applications")
	fs.StringVar(&c.Lang, "lang", c.Lang, "display language: zh or en")
	c.Flags.Register(fs)
	fs.BoolVar(&c.Fullscreen, "fullscreen", c.Fullscreen, "run full screen")
	fs.BoolVar(&c.HighContrast, "high-contrast", c.HighContrast, "start with the high-contrast theme (the holder can switch it on every screen)")
	fs.DurationVar(&c.Idle, "idle", c.Idle, "end a card session nobody touches for this long (negative: never)")
	fs.DurationVar(&c.Stale, "stale", c.Stale, "say the data is not confirmed current when the last sync is older than this")
	fs.DurationVar(&c.CardPoll, "card-poll", c.CardPoll, "check for a card on the reader this often, without reading it again while it stays (0: only when Read is tapped)")
	fs.BoolVar(&c.KeepOnCardRemoval, "keep-session-on-removal", c.KeepOnCardRemoval, "keep a session open when the card is taken off (default: taking the card off ends it; needs --card-poll)")
	fs.BoolVar(&c.Verbose, "v", c.Verbose, "debug logging")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit", c.MemoryLimitMiB, "soft limit of the Go runtime's memory in MiB (0: none; GOMEMLIMIT, when set, wins)")
	fs.IntVar(&c.GCPercent, "gc-percent", c.GCPercent, "let the Go heap grow this many percent over what is live before collecting (0: Go's default, 100; GOGC, when set, wins)")
	printFlags(fs, &c.Print)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Println("kiosk", version)
		return flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.Idle == 0 {
		return errors.New("--idle must be a duration such as 2m (negative: never)")
	}
	if c.Lang != "zh" && c.Lang != "en" {
		return fmt.Errorf("--lang must be zh or en, not %q", c.Lang)
	}
	if err := c.Print.check(); err != nil {
		return err
	}
	if err := c.Flags.Check(); err != nil {
		return err
	}
	if c.GCPercent < 0 {
		return fmt.Errorf("--gc-percent must be 0 or more, not %d", c.GCPercent)
	}
	if c.MemoryLimitMiB < 0 {
		return fmt.Errorf("--memory-limit must be 0 or more MiB, not %d", c.MemoryLimitMiB)
	}
	if c.Verbose {
		m.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// Run opens the store and the reader, starts sync, and shows the window
// until it is closed or ctx is cancelled. It closes everything on return.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() { err = errors.Join(err, m.Close()) }()

	svc, err := m.Open(ctx)
	if err != nil {
		return err
	}
	if err := m.StartHeapProfile(os.Getenv); err != nil { // off unless asked (heapprofile.go)
		return err
	}

	// A binary built with plain `go build` does not see FyneApp.toml:
	// state the metadata (and the fyneDo migration) here too.
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: appName, Version: version, Build: 1,
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := fyneapp.NewWithID(appID)
	w := a.NewWindow(appName)
	if err := glwindow.Depthless(); err != nil { // before Show creates the GLFW window
		m.Logger.Warn("kiosk window keeps its depth buffer", "err", err)
	}
	u := newKioskUI(a, svc, ui.Options{Lang: ui.ParseLang(m.Config.Lang), Logger: m.Logger, IdleTimeout: m.Config.Idle, HighContrast: m.Config.HighContrast})
	defer u.Close()
	u.Show(w)
	// Started after the UI subscribed, so a reader missing at start-up
	// reaches the home screen as a plain message.
	if svc.HasCardReader() && m.Config.CardPoll > 0 {
		m.StartCardWatch(svc)
	}
	// The UI subscribed to the event feed in New: start the sync loop
	// after it, so the first round's progress reaches the status line.
	if m.Config.Server != "" {
		m.StartSync(svc)
	} else {
		svc.PublishSync(creditapp.SyncInfo{Phase: creditapp.SyncOff})
	}
	w.Resize(fyne.NewSize(1280, 1024))
	w.SetFullScreen(m.Config.Fullscreen)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	m.Logger.Info("kiosk started", "version", version, "device", m.Config.DeviceID, "reader", svc.HasCardReader(), "sync", m.Config.Server != "")
	w.ShowAndRun()
	return nil
}

// Open opens the store and the card reader and returns the service the UI
// runs on. A reader that cannot be opened is
// logged and left out: the business search still works.
func (m *Main) Open(ctx context.Context) (*creditapp.Service, error) {
	ctx, m.cancel = context.WithCancel(ctx)
	var err error
	if m.db, err = store.Open(ctx, m.Config.DB, store.WithLogger(m.Logger)); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	m.clock = devicesync.NewServerClock(m.Now)
	deps := creditapp.Deps{
		Records: m.db, Inquiries: m.db, Applications: m.db,
		DeviceID: m.Config.DeviceID, Logger: m.Logger, Now: m.Now, StaleAfter: m.Config.Stale,
		ServerNow:        m.clock.Now,
		EndOnCardRemoval: !m.Config.KeepOnCardRemoval,
	}
	county, _ := m.db.Setting(ctx, creditapp.SettingCounty) // ENOTFOUND: the --region code, if a county's
	if county == "" && credit.ValidCountyCode(m.Config.Print.Region) == nil {
		county = m.Config.Print.Region
	}
	m.calendar = devicesync.OpenCalendar(ctx, m.db, county, m.Config.CalendarPub, m.Now, m.Logger)
	deps.Calendar = m.calendar.Live
	switch {
	case m.Config.Port != "" && m.Config.CardPoll > 0:
		// The watcher owns the line: it opens the port when the watch
		// starts, checks for a card with find/select only, reads a card
		// once when it is placed, and reopens the port after a replug.
		// Taps read through it too.
		cw := newCardWatch(idcard.WatchConfig{
			Open:   idcard.SerialOpener(m.Config.Port, idcard.DefaultBaud),
			Reader: idcard.Config{Logger: m.Logger},
			Poll:   m.Config.CardPoll, Logger: m.Logger,
		})
		deps.Card, deps.CardWatch = cw, cw
	case m.Config.Port != "":
		r, closer, err := idcard.Open(m.Config.Port, idcard.Config{Logger: m.Logger})
		if err != nil {
			m.Logger.Error("card reader unavailable", "port", m.Config.Port, "err", err)
		} else {
			deps.Card, m.reader = r, closer
		}
	}
	m.openPrinting(ctx, &deps)
	m.ctx = ctx
	return creditapp.New(deps), nil
}

// StartCardWatch (after Open) opens a session whenever a card is placed on
// the reader and, unless --keep-session-on-removal, ends it when the card
// is taken off, until Close.
func (m *Main) StartCardWatch(svc *creditapp.Service) {
	ctx := m.ctx
	m.loops.Add(1)
	go func() {
		defer m.loops.Done()
		_ = svc.RunCardWatch(ctx, m.Config.CardPoll) // ctx.Err() when the kiosk stops
	}()
}

// Close stops the loops and closes the reader and the store. It may be
// called more than once.
func (m *Main) Close() error {
	var err error
	m.closeMu.Do(func() {
		if m.cancel != nil {
			m.cancel()
		}
		m.loops.Wait()
		if m.reader != nil {
			err = errors.Join(err, m.reader.Close())
		}
		if m.db != nil {
			err = errors.Join(err, m.db.Close())
		}
	})
	return err
}

// cardWatch adapts idcard.Watcher to the app's CardWatcher and CardReader
// ports, so the app never imports the device package.
type cardWatch struct {
	w *idcard.Watcher

	mu   sync.Mutex
	emit func(creditapp.CardChange) // set while WatchCards runs
}

func newCardWatch(cfg idcard.WatchConfig) *cardWatch {
	c := &cardWatch{}
	c.w = idcard.NewWatcher(cfg, c.forward)
	return c
}

// WatchCards runs the watcher until ctx ends.
func (c *cardWatch) WatchCards(ctx context.Context, emit func(creditapp.CardChange)) error {
	c.mu.Lock()
	c.emit = emit
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.emit = nil
		c.mu.Unlock()
	}()
	return c.w.Run(ctx)
}

// ReadCard reads the card now (the Read button) over the watcher's line.
func (c *cardWatch) ReadCard(ctx context.Context) (credit.IDCard, error) {
	return c.w.ReadCard(ctx)
}

// forward turns a watcher event into a card change. Inserted (its read
// follows) and read errors (logged by the watcher, retried at the next
// poll) are not the app's business.
func (c *cardWatch) forward(ev idcard.Event) {
	var ch creditapp.CardChange
	switch ev.Kind {
	case idcard.CardRead:
		ch = creditapp.CardChange{Kind: creditapp.CardPlaced, Card: ev.Card}
	case idcard.CardRemoved:
		ch = creditapp.CardChange{Kind: creditapp.CardTakenOff}
	case idcard.ReaderLost:
		ch = creditapp.CardChange{Kind: creditapp.ReaderLost, Err: ev.Err}
	case idcard.ReaderBack:
		ch = creditapp.CardChange{Kind: creditapp.ReaderBack}
	default:
		return
	}
	c.mu.Lock()
	emit := c.emit
	c.mu.Unlock()
	if emit != nil {
		emit(ch)
	}
}

// Command office is the county office's clerk application: staff log in
// (argon2id passwords, lockout, idle lock), make authorised inquiries
// under Art. 25, take objections and restoration applications on a
// citizen's behalf (typed ID or --reader) with evidence files, work through
// the queue of open applications by deadline, print receipts (and reprint
// them from the queue) and credit reports with verifiable QR codes, check
// a printed report's code, see the sync status, and set the reader port,
// printer and (supervisors) county, and check the inquiry log. Accounts
// are made with `creditctl clerk add`.
//
//	office --db /var/lib/credit/office.db --device office-620102 \
//	       --server https://platform.example:8700 [--enroll-code CODE, once]
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
	"github.com/gansu-credit/credit/cmd/internal/printing"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/app/ui/office"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/store"
)

// version is set by the linker (-X main.version=...).
var version = "dev"

// appID is the Fyne application ID (also in FyneApp.toml).
const (
	appID   = "cn.gov.gansu.credit.office"
	appName = "甘肃省公共信用信息 · 县级服务窗口"
)

// Config is the office app's command-line configuration.
type Config struct {
	DB               string      // SQLite database (cache, applications, clerks)
	DeviceID         string      // channel recorded in inquiries
	Lang             string      // zh or en
	devicesync.Flags             // --server, --device-key, --enroll-code
	Reader           string      // ID-card reader port; "" = the saved setting, "none" = no reader
	RootPub          string      // root key(s) synced trust lists must be signed by; "" = ignore them (trust.go)
	Print            PrintConfig // printers and signing key (printing.go)
	Stale            time.Duration
	Verbose          bool
}

// DefaultConfig is the configuration before flags.
func DefaultConfig() Config {
	return Config{DB: "office.db", DeviceID: "office", Lang: "zh", Stale: creditapp.DefaultStaleAfter}
}

// Main is the composition root: it owns the store and the sync loop and
// closes them in Close.
type Main struct {
	Config Config
	Logger *slog.Logger
	Stderr io.Writer        // flag errors and usage; os.Stderr
	Now    func() time.Time // the services' clock; time.Now when nil

	// Set by Open.
	Office *creditapp.Office  // the clerks' use cases
	Events *creditapp.Service // the event feed the sync loop reports to

	db      *store.DB
	reader  io.Closer               // the card reader's port, if one was opened
	wake    devicesync.Wake         // the sync panel's "sync now" (sync.go)
	trust   *devicesync.Trust       // the kept trust list; nil without --root-pub
	clock   *devicesync.ServerClock // the platform's time for staleness, once the loop heard it
	ctx     context.Context         // of the loops; cancelled by Close
	cancel  context.CancelFunc
	loops   sync.WaitGroup
	closeMu sync.Once
	submit  printing.Submit // hands spooled PDFs to the print system; nil: lp (SumatraPDF on Windows)

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
		fmt.Fprintln(os.Stderr, "office:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		m.Logger.Error("office stopped", "err", err)
		os.Exit(1)
	}
}

// ParseFlags reads the command line into m.Config.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("office", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	c := &m.Config
	fs.StringVar(&c.DB, "db", c.DB, "path of the SQLite database")
	fs.StringVar(&c.DeviceID, "device", c.DeviceID, "device ID recorded in inquiries")
	fs.StringVar(&c.Lang, "lang", c.Lang, "display language: zh or en")
	c.Flags.Register(fs)
	fs.StringVar(&c.Reader, "reader", c.Reader, "ID-card reader serial port for intake (default: the port saved in Settings; \"none\": no reader)")
	fs.StringVar(&c.RootPub, "root-pub", c.RootPub, "root public key(s) (PEM) the platform's trust lists must be signed by; they are kept for checking printed codes")
	printFlags(fs, &c.Print)
	fs.DurationVar(&c.Stale, "stale", c.Stale, "say the data is not confirmed current when the last sync is older than this")
	fs.BoolVar(&c.Verbose, "v", c.Verbose, "debug logging")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(m.Stderr, "office", version)
		return flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.Lang != "zh" && c.Lang != "en" {
		return fmt.Errorf("--lang must be zh or en, not %q", c.Lang)
	}
	if c.Stale <= 0 {
		return errors.New("--stale must be a positive duration such as 72h")
	}
	if err := c.Flags.Check(); err != nil {
		return err
	}
	if err := c.Print.check(); err != nil {
		return err
	}
	if c.Verbose {
		m.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// Run opens the store, starts sync and shows the window until it is closed
// or ctx is cancelled. It closes everything on return.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() { err = errors.Join(err, m.Close()) }()
	if err := m.Open(ctx); err != nil {
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
		m.Logger.Warn("office window keeps its depth buffer", "err", err)
	}
	// The UI subscribes to the event feed in New: start the sync loop
	// after it, so the first round's report reaches the sync panel.
	u := newOfficeUI(a, m.Office, office.Options{Lang: ui.ParseLang(m.Config.Lang), Logger: m.Logger, Events: m.Events})
	defer u.Close()
	u.Show(w)
	if m.Config.Server != "" {
		m.StartSync()
	} else {
		m.Events.PublishSync(creditapp.SyncInfo{Phase: creditapp.SyncOff})
	}
	w.Resize(fyne.NewSize(glwindow.FitScreen(1280, 800))) // smaller on a smaller screen
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	m.Logger.Info("office started", "version", version, "device", m.Config.DeviceID, "sync", m.Config.Server != "")
	w.ShowAndRun()
	return nil
}

// Open opens the store and builds the services (m.Office, m.Events). It
// starts nothing.
func (m *Main) Open(ctx context.Context) error {
	ctx, m.cancel = context.WithCancel(ctx)
	var err error
	if m.db, err = store.Open(ctx, m.Config.DB, store.WithLogger(m.Logger)); err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	saved, err := m.db.Settings(ctx)
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	m.calendar = devicesync.OpenCalendar(ctx, m.db, saved[creditapp.SettingCounty], m.Config.CalendarPub, m.Now, m.Logger)
	cal := m.calendar.Live
	if err := m.openTrust(ctx); err != nil {
		return err
	}
	m.clock = devicesync.NewServerClock(m.Now)
	deps := creditapp.Deps{
		Records: m.db, Inquiries: m.db, Applications: m.db, Calendar: cal,
		DeviceID: m.Config.DeviceID, Now: m.Now, Logger: m.Logger, StaleAfter: m.Config.Stale,
		ServerNow: m.clock.Now,
		SyncNow:   m.syncNow(),
	}
	m.openPrinting(&deps)
	m.Events = creditapp.New(deps)
	m.Office = creditapp.NewOffice(creditapp.OfficeDeps{
		Clerks: m.db, Records: m.db, Inquiries: m.db, Queue: m.db, Calendar: cal,
		DeviceID: m.Config.DeviceID, Now: m.Now, Logger: m.Logger, StaleAfter: m.Config.Stale,
		ServerNow: m.clock.Now,
		Intake:    m.db, Evidence: m.db, Card: m.openReader(ctx, saved),
		Settings:    calendarEditing{DB: m.db, cal: m.calendar, log: m.Logger}, // calendar.go
		ReaderPorts: idcard.Ports, VerifyAudit: auditVerifier(m.db), Printing: m.Events,
		Printers: printing.Printers,
	})
	m.ctx = ctx
	return nil
}

// Close stops the loops and closes the store. It may be called more than
// once.
func (m *Main) Close() error {
	var err error
	m.closeMu.Do(func() {
		if m.cancel != nil {
			m.cancel()
		}
		m.loops.Wait()
		if m.reader != nil {
			_ = m.reader.Close()
		}
		if m.db != nil {
			err = m.db.Close()
		}
	})
	return err
}

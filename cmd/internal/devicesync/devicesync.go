// Package devicesync wires a device app (kiosk, office) to the platform:
// it loads or creates the device's Ed25519 key, enrols it once with a
// one-time code, runs the syncclient loop and reports progress as
// app.SyncInfo. It is shared by the composition roots in cmd/ only.
package devicesync

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// Store is the local cache the loop pushes from and applies to.
type Store interface {
	syncclient.Outbox
	syncclient.Applier
}

// Config says how a device syncs.
type Config struct {
	Server     string // platform base URL
	DeviceID   string
	KeyPath    string // device key file; see KeyPath
	EnrollCode string // one-time enrolment code; "" when already enrolled
	Store      Store
	Logger     *slog.Logger
	Publish    func(app.SyncInfo) // the app's event feed (Service.PublishSync)
	// Trust, when set, keeps the trust lists the platform sends (feed
	// and snapshot); nil ignores them.
	Trust *Trust
	// Reports, when set, is the queue of issued reports each round
	// registers with the platform; nil registers none.
	Reports ReportStore
	// Wake, when set, cuts the loop's pause short ("sync now").
	Wake Wake
	// Calendars, when set, takes the signed calendar updates of the feed
	// (Calendar.Sink); nil ignores them.
	Calendars syncclient.CalendarSink
	// Clock, when set, is attached to the loop's client: the app's
	// ServerNow then reads the platform's time (clock.go).
	Clock *ServerClock
	// ReceiptPub, when set, is the file of the platform's receipt keys
	// (--receipt-pub): Start loads it into ReceiptKeys.
	ReceiptPub string
	// ReceiptKeys, when set, are the platform's receipt keys: a receipt
	// that verifies with none is not stored, its application stays
	// pending.
	ReceiptKeys []ed25519.PublicKey
}

// KeyPath is deviceKey, or the database path plus .key.
func KeyPath(db, deviceKey string) string {
	if deviceKey != "" {
		return deviceKey
	}
	return db + ".key"
}

// Start runs the sync loop in a goroutine tracked by wg until ctx ends.
// A device key that cannot be loaded, or an enrolment code the platform
// refuses, is reported through Publish and the loop does not start.
func Start(ctx context.Context, wg *sync.WaitGroup, cfg Config) {
	failed := func(err error) { cfg.Publish(app.SyncInfo{Phase: app.SyncFailed, Err: err}) }
	key, err := syncclient.LoadOrCreateDeviceKey(cfg.KeyPath)
	if err != nil {
		cfg.Logger.Error("sync disabled: device key", "err", err)
		failed(err)
		return
	}
	if cfg.ReceiptPub != "" {
		if cfg.ReceiptKeys, err = LoadReceiptKeys(cfg.ReceiptPub); err != nil {
			cfg.Logger.Error("sync disabled: receipt keys", "err", err)
			failed(err)
			return
		}
	}
	c := syncclient.New(ClientConfig(cfg, key))
	if cfg.Clock != nil {
		cfg.Clock.attach(c)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if !enroll(ctx, cfg, key, failed) {
			return
		}
		_ = c.Run(ctx) // returns ctx.Err() only, when the app stops
	}()
}

// ClientConfig is the syncclient configuration Start runs with.
func ClientConfig(cfg Config, key ed25519.PrivateKey) syncclient.Config {
	cc := syncclient.Config{
		BaseURL:  cfg.Server,
		Key:      key,
		DeviceID: cfg.DeviceID,
		Outbox:   cfg.Store,
		Applier:  cfg.Store,
		Logger:   cfg.Logger,
	}
	if cfg.Publish != nil {
		cc.OnProgress = func(p syncclient.Progress) { cfg.Publish(Info(p)) }
	}
	if cfg.Trust != nil { // a nil *Trust must not become a non-nil sink
		cc.TrustLists = cfg.Trust
	}
	if cfg.Reports != nil {
		cc.Reports = Registry{Store: cfg.Reports}
	}
	if cfg.Wake != nil {
		cc.Sleep = cfg.Wake.Sleep
	}
	cc.Calendars = cfg.Calendars
	cc.ReceiptKeys = cfg.ReceiptKeys
	return cc
}

// Info maps the client's progress onto the app's sync status.
func Info(p syncclient.Progress) app.SyncInfo {
	info := app.SyncInfo{Applied: p.Applied, Pending: p.Pending, LastSuccess: p.LastSuccess, Err: p.Err,
		Done: p.Done, Total: p.Total,
		Lag: app.DeletionLag{Known: p.DeletionLag.Known, Waiting: p.DeletionLag.Waiting, Oldest: p.DeletionLag.Oldest}}
	switch p.Phase {
	case syncclient.PhasePush, syncclient.PhasePull, syncclient.PhaseResync:
		info.Phase = app.SyncRunning
	case syncclient.PhaseFailed:
		info.Phase = app.SyncFailed
		if credit.ErrorCode(p.Err) == credit.EUNAVAILABLE {
			info.Phase = app.SyncOffline
		}
	default:
		info.Phase = app.SyncIdle
	}
	return info
}

// enroll registers the device key with the enrolment code when one was
// given (repeating it with the same code and key is harmless), retrying
// while the platform cannot be reached. It reports false when the code
// was refused or ctx ended: sync does not start.
func enroll(ctx context.Context, cfg Config, key ed25519.PrivateKey, failed func(error)) bool {
	if cfg.EnrollCode == "" {
		return true
	}
	for wait := 5 * time.Second; ; wait = min(2*wait, 5*time.Minute) {
		_, err := syncclient.Enroll(ctx, syncclient.EnrollConfig{BaseURL: cfg.Server, DeviceID: cfg.DeviceID, Code: cfg.EnrollCode, Key: key})
		if err == nil {
			cfg.Logger.Info("device enrolled", "device", cfg.DeviceID)
			return true
		}
		cfg.Logger.Warn("enrolment failed", "device", cfg.DeviceID, "err", err)
		failed(err)
		if credit.ErrorCode(err) != credit.EUNAVAILABLE {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
	}
}

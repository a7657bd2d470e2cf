package main

import (
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
)

// StartSync runs the sync loop (after Open) until Close, reporting its
// progress to the UI through the service's event feed.
func (m *Main) StartSync(svc *creditapp.Service) {
	devicesync.Start(m.ctx, &m.loops, m.syncConfig(svc))
}

// syncConfig is how the kiosk syncs: its store, the kept trust list
// (trust.go) and the queue of issued reports to register.
func (m *Main) syncConfig(svc *creditapp.Service) devicesync.Config {
	return devicesync.Config{
		Server:     m.Config.Server,
		DeviceID:   m.Config.DeviceID,
		KeyPath:    devicesync.KeyPath(m.Config.DB, m.Config.DeviceKey),
		EnrollCode: m.Config.EnrollCode,
		Store:      m.db,
		Logger:     m.Logger,
		Publish:    svc.PublishSync,
		Trust:      m.trust,
		Reports:    m.db,
		Calendars:  m.calendar.Sink,
		Clock:      m.clock,
		ReceiptPub: m.Config.ReceiptPub,
	}
}

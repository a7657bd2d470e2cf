package main

import "github.com/gansu-credit/credit/cmd/internal/devicesync"

// StartSync runs the sync loop (after Open) until Close, reporting its
// progress to the sync panel through m.Events.
func (m *Main) StartSync() {
	devicesync.Start(m.ctx, &m.loops, devicesync.Config{
		Server:     m.Config.Server,
		DeviceID:   m.Config.DeviceID,
		KeyPath:    devicesync.KeyPath(m.Config.DB, m.Config.DeviceKey),
		EnrollCode: m.Config.EnrollCode,
		Store:      m.db,
		Logger:     m.Logger,
		Publish:    m.Events.PublishSync,
		Trust:      m.trust,
		Reports:    m.db, // reports printed here, registered with the platform
		Wake:       m.wake,
		Calendars:  m.calendar.Sink,
		Clock:      m.clock,
		ReceiptPub: m.Config.ReceiptPub,
	})
}

// syncNow returns what the sync panel's "sync now" button calls: it wakes
// the loop StartSync runs. Without --server there is no loop and no
// button (nil).
func (m *Main) syncNow() func() {
	if m.Config.Server == "" {
		return nil
	}
	if m.wake == nil {
		m.wake = devicesync.NewWake()
	}
	return m.wake.Now
}

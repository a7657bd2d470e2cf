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
	})
}

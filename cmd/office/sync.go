package main

import (
	"context"
	"crypto/ed25519"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// StartSync runs the sync loop (after Open) until Close, reporting its
// progress to the sync panel through m.Events.
func (m *Main) StartSync() {
	ctx, svc := m.ctx, m.Events
	key, err := syncclient.LoadOrCreateDeviceKey(m.deviceKeyPath())
	if err != nil {
		m.Logger.Error("sync disabled: device key", "err", err)
		svc.PublishSync(creditapp.SyncInfo{Phase: creditapp.SyncFailed, Err: err})
		return
	}
	c := syncclient.New(syncclient.Config{
		BaseURL:    m.Config.Server,
		Key:        key,
		DeviceID:   m.Config.DeviceID,
		Outbox:     m.db,
		Applier:    m.db,
		Logger:     m.Logger,
		OnProgress: func(p syncclient.Progress) { svc.PublishSync(syncInfo(p)) },
	})
	m.loops.Add(1)
	go func() {
		defer m.loops.Done()
		if !m.enroll(ctx, key, func(err error) { svc.PublishSync(creditapp.SyncInfo{Phase: creditapp.SyncFailed, Err: err}) }) {
			return
		}
		_ = c.Run(ctx) // returns ctx.Err() only, when the app stops
	}()
}

// syncInfo maps the client's progress onto the panel's status (as the
// kiosk does).
func syncInfo(p syncclient.Progress) creditapp.SyncInfo {
	info := creditapp.SyncInfo{Applied: p.Applied, Pending: p.Pending, LastSuccess: p.LastSuccess, Err: p.Err}
	switch p.Phase {
	case syncclient.PhasePush, syncclient.PhasePull, syncclient.PhaseResync:
		info.Phase = creditapp.SyncRunning
	case syncclient.PhaseFailed:
		info.Phase = creditapp.SyncFailed
		if credit.ErrorCode(p.Err) == credit.EUNAVAILABLE {
			info.Phase = creditapp.SyncOffline
		}
	default:
		info.Phase = creditapp.SyncIdle
	}
	return info
}

// deviceKeyPath is --device-key, or the database path plus .key.
func (m *Main) deviceKeyPath() string {
	if m.Config.DeviceKey != "" {
		return m.Config.DeviceKey
	}
	return m.Config.DB + ".key"
}

// enroll registers the device key with --enroll-code when one was given
// (repeating it with the same code and key is harmless), retrying while
// the platform cannot be reached. It reports false when the code was
// refused or ctx ended: sync does not start.
func (m *Main) enroll(ctx context.Context, key ed25519.PrivateKey, failed func(error)) bool {
	if m.Config.EnrollCode == "" {
		return true
	}
	for wait := 5 * time.Second; ; wait = min(2*wait, 5*time.Minute) {
		_, err := syncclient.Enroll(ctx, syncclient.EnrollConfig{BaseURL: m.Config.Server, DeviceID: m.Config.DeviceID, Code: m.Config.EnrollCode, Key: key})
		if err == nil {
			m.Logger.Info("device enrolled", "device", m.Config.DeviceID)
			return true
		}
		m.Logger.Warn("enrolment failed", "device", m.Config.DeviceID, "err", err)
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

package main

import (
	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// StartSync runs the sync loop (after Open) until Close, reporting its
// progress to the sync panel through m.Events.
func (m *Main) StartSync() {
	ctx, svc := m.ctx, m.Events
	c := syncclient.New(syncclient.Config{
		BaseURL:    m.Config.Server,
		Token:      m.Config.Token,
		DeviceID:   m.Config.DeviceID,
		Outbox:     m.db,
		Applier:    m.db,
		Logger:     m.Logger,
		OnProgress: func(p syncclient.Progress) { svc.PublishSync(syncInfo(p)) },
	})
	m.loops.Add(1)
	go func() {
		defer m.loops.Done()
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

package main

import (
	"context"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/store"
)

// readerNone on --reader means: no reader, whatever the settings say.
const readerNone = "none"

// openReader opens the ID-card reader on --reader, or else on the saved
// reader port. A reader that cannot be opened is logged and left out:
// clerks type the ID number instead.
func (m *Main) openReader(ctx context.Context, saved map[string]string) creditapp.CardReader {
	port := m.Config.Reader
	if port == "" {
		port = saved[creditapp.SettingReaderPort]
	}
	if port == "" || port == readerNone {
		return nil
	}
	r, closer, err := idcard.Open(port, idcard.Config{Logger: m.Logger})
	if err != nil {
		m.Logger.WarnContext(ctx, "card reader not opened; IDs are typed", "port", port, "err", err)
		return nil
	}
	m.reader = closer
	m.Logger.InfoContext(ctx, "card reader opened", "port", port)
	return r
}

// auditVerifier adapts the store's chain check to the office's port.
func auditVerifier(db *store.DB) creditapp.AuditVerifier {
	return func(ctx context.Context) (creditapp.AuditResult, error) {
		rep, err := db.VerifyAuditChain(ctx)
		if err != nil {
			return creditapp.AuditResult{}, err
		}
		res := creditapp.AuditResult{OK: rep.OK(), Devices: rep.Devices, Entries: rep.Entries}
		if len(rep.Problems) > 0 {
			res.FirstBreak = rep.Problems[0].String()
		}
		return res, nil
	}
}

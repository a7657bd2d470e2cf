package main

import (
	"context"
	"fmt"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
)

// openTrust keeps the platform's trust list when --root-pub names the
// root keys: the lists sync brings (feed and snapshot) are checked,
// rollback refused, and the newest kept in the database (devicesync.Trust).
func (m *Main) openTrust(ctx context.Context) error {
	if m.Config.RootPub == "" {
		return nil
	}
	roots, err := devicesync.LoadRoots(m.Config.RootPub)
	if err != nil {
		return fmt.Errorf("--root-pub: %w", err)
	}
	m.trust = devicesync.NewTrust(m.db, roots, report.KeySet{}, m.Logger)
	return m.trust.Open(ctx)
}

package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"

	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
)

// openTrust sets the keys printed codes are checked against. With
// --root-pub the kiosk keeps a trust list in its store (m.trust): the
// --trust file seeds it, sync replaces it with newer ones, and every
// check uses the newest. Without, the keys are a key file (--keys) plus
// this kiosk's own key. Unusable keys are logged and left out.
func (m *Main) openTrust(ctx context.Context, deps *creditapp.Deps, own ed25519.PublicKey) {
	c := m.Config.Print
	if c.RootPub == "" {
		keys, err := m.staticKeys(own)
		if err != nil {
			m.Logger.Error("verification keys unusable; printed codes cannot be checked", "err", err)
		}
		deps.Trusted = keys
		return
	}
	roots, err := devicesync.LoadRoots(c.RootPub)
	if err != nil {
		m.Logger.Error("root keys unusable; printed codes cannot be checked", "err", err)
		return
	}
	fallback, err := m.staticKeys(own)
	if err != nil {
		m.Logger.Error("key file unusable", "err", err)
	}
	m.trust = devicesync.NewTrust(m.db, roots, fallback, m.Logger)
	if err := m.trust.Open(ctx); err != nil {
		m.Logger.Error("held trust list unreadable", "err", err)
	}
	if c.Trust != "" {
		if err := m.seedTrust(ctx, c.Trust); err != nil {
			m.Logger.Warn("trust list file not taken", "path", c.Trust, "err", err)
		}
	}
	deps.TrustedKeys = m.trust.KeySet
	if priv, ok := deps.Signer.(ed25519.PrivateKey); ok {
		deps.Signer = m.trust.Signer(priv, m.Now) // no report the kept list would refuse
	}
}

// seedTrust offers the --trust file to the kept list: taken when it is
// newer than the one held.
func (m *Main) seedTrust(ctx context.Context, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read trust list: %w", err)
	}
	if held, ok := m.trust.Seq(); ok {
		if tl, err := report.ParseTrustList(b); err == nil && tl.Seq <= held {
			return nil // the file is what sync already replaced
		}
	}
	return m.trust.SaveTrustList(ctx, b)
}

// staticKeys is the key file (--keys) plus this kiosk's own key, or only
// the own key.
func (m *Main) staticKeys(own ed25519.PublicKey) (report.KeySet, error) {
	var s report.KeySet
	var err error
	if m.Config.Print.Keys != "" {
		s, err = report.LoadKeySet(m.Config.Print.Keys)
	}
	if own != nil {
		s.Add(own, m.Config.Print.Office)
	}
	return s, err
}

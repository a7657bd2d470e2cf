package main

import (
	"crypto/ed25519"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// publishVerifier lets the test platform check the trust lists it
// publishes (cmd/syncserver registers the full adapter).
type publishVerifier struct{}

func (publishVerifier) LoadTrustList(signed []byte, roots []ed25519.PublicKey, prev uint64) (*syncserver.TrustListInfo, error) {
	tl, err := report.LoadTrustList(signed, roots, prev)
	if err != nil {
		return nil, err
	}
	return &syncserver.TrustListInfo{Seq: tl.Seq, Root: tl.Root, NextRoot: tl.NextRoot, Signed: tl.Raw, Loaded: tl}, nil
}

func (publishVerifier) VerifyReport(string, *syncserver.TrustListInfo, time.Time) protocol.VerifyV1 {
	return protocol.VerifyV1{}
}

// fakeLPInPath puts an lp that accepts every job first in PATH.
func fakeLPInPath(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake lp is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte("#!/bin/sh\necho 'request id is A4-7 (1 file(s))'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// The kiosk's whole report chain against a real platform: a report
// printed offline is queued, registered by the next sync and found by the
// platform's online lookup; trust lists the platform publishes later
// (revoking that report number, then marking the kiosk's key
// compromised) reach the kiosk by sync and change what its verifier says,
// also after a restart.
func TestKioskReportsAndTrustThroughSync(t *testing.T) {
	fakeLPInPath(t)
	syncserver.RegisterTrustVerifier(publishVerifier{})
	ctx := t.Context()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	clock := func() time.Time { return now }
	dir := t.TempDir()

	srv, err := syncserver.Open(ctx, filepath.Join(dir, "platform.db"), syncserver.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	rootPub, root, _ := ed25519.GenerateKey(nil)
	rootFile := filepath.Join(dir, "root.pub")
	pem, err := report.MarshalPublicKey(rootPub)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rootFile, pem, 0o644); err != nil {
		t.Fatal(err)
	}
	signKey := filepath.Join(dir, "sign.key")
	kioskKey, err := report.LoadOrCreateKey(signKey)
	if err != nil {
		t.Fatal(err)
	}
	list := func(seq uint64, status report.KeyStatus, revoked ...string) []byte {
		tl := &report.TrustList{Seq: seq, IssuedAt: now, Keys: []report.ListKey{{
			Public: kioskKey.Public().(ed25519.PublicKey), OfficeCode: "620102", OfficeName: "城关区政务服务中心",
			Status: status, SignFrom: now.Add(-24 * time.Hour), StatusAt: now,
		}}}
		for _, no := range revoked {
			tl.Revoked = append(tl.Revoked, report.RevokedHash(no))
		}
		b, err := report.SignTrustList(tl, root)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	trustFile := filepath.Join(dir, "trust.tl")
	if err := os.WriteFile(trustFile, list(1, report.KeyActive), 0o644); err != nil {
		t.Fatal(err)
	}

	dbPath := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, dbPath, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	subjects, records := apptest.FixtureData()
	if err := db.Load(ctx, subjects, records); err != nil {
		t.Fatal(err)
	}
	db.Close()

	open := func() (*Main, *creditapp.Service) {
		m := NewMain()
		m.Logger, m.Now = slog.New(slog.DiscardHandler), clock
		m.Config.DB, m.Config.DeviceID, m.Config.Server = dbPath, "kiosk-1", hs.URL
		m.Config.Print = PrintConfig{Printer: "default", SignKey: signKey, Office: "城关区政务服务中心", RootPub: rootFile, Trust: trustFile}
		svc, err := m.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m, svc
	}
	m, svc := open()

	// Printed while the platform was never reached: queued only.
	sess, err := creditapp.New(creditapp.Deps{Records: m.db, Inquiries: m.db, Applications: m.db, Card: apptest.NewCard(apptest.PersonCard(), nil), Now: clock}).ReadCard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	printed, err := svc.PrintReport(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := m.db.PendingReportRegistrations(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].No != printed.No {
		t.Fatalf("queued %+v, %v", pending, err)
	}
	// The same report number, signed by this kiosk's key: what a checker
	// scans off the paper.
	c := report.Claims{ReportID: printed.No, IssuedAt: now, Expires: now.Add(creditapp.ReportValidity), Type: report.NaturalPersonReport,
		SubjectName: "张三", SubjectIDDisplay: pending[0].SubjectIDDisplay, Pages: 1}
	paper, err := report.Sign(kioskKey, c)
	if err != nil {
		t.Fatal(err)
	}
	if res := svc.VerifyText(paper.Text); res.Status != report.StatusValid || res.TrustListSeq != 1 {
		t.Fatalf("before any sync: %s (trust list %d)", res.Status, res.TrustListSeq)
	}

	// Enrol and sync once, as devicesync.Start does.
	code, _, err := srv.AddDevice(ctx, "kiosk-1", "620102")
	if err != nil {
		t.Fatal(err)
	}
	syncOnce := func(m *Main, svc *creditapp.Service) syncclient.Result {
		t.Helper()
		cfg := m.syncConfig(svc)
		key, err := syncclient.LoadOrCreateDeviceKey(cfg.KeyPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := syncclient.Enroll(ctx, syncclient.EnrollConfig{BaseURL: cfg.Server, DeviceID: cfg.DeviceID, Code: code, Key: key}); err != nil {
			t.Fatal(err)
		}
		res, err := syncclient.New(devicesync.ClientConfig(cfg, key)).SyncOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := syncOnce(m, svc); res.Registered != 1 {
		t.Fatalf("registered %d reports", res.Registered)
	}
	if got, err := srv.Lookup(ctx, printed.No, pending[0].Code); err != nil || got.Status != protocol.LookupKnown {
		t.Fatalf("online lookup of the printed report: %+v, %v", got, err)
	}
	if left, _ := m.db.PendingReportRegistrations(ctx, 10); len(left) != 0 {
		t.Fatalf("still queued after registration: %+v", left)
	}

	steps := []struct {
		name   string
		signed []byte
		want   report.Status
	}{
		{"report revoked", list(2, report.KeyActive, printed.No), report.StatusReportRevoked},
		{"key compromised", list(3, report.KeyCompromised, printed.No), report.StatusKeyCompromised},
	}
	for _, st := range steps {
		if _, _, err := srv.PublishTrustList(ctx, st.signed, []ed25519.PublicKey{rootPub}); err != nil {
			t.Fatalf("%s: publish: %v", st.name, err)
		}
		syncOnce(m, svc)
		if res := svc.VerifyText(paper.Text); res.Status != st.want {
			t.Fatalf("%s: kiosk says %s, want %s", st.name, res.Status, st.want)
		}
	}

	// A kiosk whose key the kept list marks compromised issues nothing.
	if _, err := svc.PrintReport(ctx, sess); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("printing with a compromised key: %v", err)
	}
	if left, _ := m.db.PendingReportRegistrations(ctx, 10); len(left) != 0 {
		t.Fatalf("a refused report was queued: %+v", left)
	}

	// After a restart the kept list (seq 3) wins over the older --trust file.
	m.Close()
	_, svc = open()
	if res := svc.VerifyText(paper.Text); res.Status != report.StatusKeyCompromised || res.TrustListSeq != 3 {
		t.Fatalf("after restart: %s (trust list %d)", res.Status, res.TrustListSeq)
	}
}

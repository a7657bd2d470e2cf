package main

import (
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// listChecker lets the test platform accept the list it publishes.
type listChecker struct{}

func (listChecker) LoadTrustList(b []byte, roots []ed25519.PublicKey, prev uint64) (*syncserver.TrustListInfo, error) {
	tl, err := report.LoadTrustList(b, roots, prev)
	if err != nil {
		return nil, err
	}
	return &syncserver.TrustListInfo{Seq: tl.Seq, Root: tl.Root, Signed: tl.Raw}, nil
}

func (listChecker) VerifyReport(string, *syncserver.TrustListInfo, time.Time) protocol.VerifyV1 {
	return protocol.VerifyV1{}
}

// With --root-pub the office keeps the trust list the platform
// published; a root file it cannot read stops Open with a clear error.
func TestOfficeKeepsTrustList(t *testing.T) {
	syncserver.RegisterTrustVerifier(listChecker{})
	dir := t.TempDir()
	srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rootPub, root, _ := ed25519.GenerateKey(nil)
	signed, err := report.SignTrustList(&report.TrustList{Seq: 9, IssuedAt: time.Now()}, root)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.PublishTrustList(t.Context(), signed, []ed25519.PublicKey{rootPub}); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	pem, err := report.MarshalPublicKey(rootPub)
	if err != nil {
		t.Fatal(err)
	}
	rootFile := filepath.Join(dir, "root.pub")
	if err := os.WriteFile(rootFile, pem, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, err := srv.AddDevice(t.Context(), "office-1", "620102")
	if err != nil {
		t.Fatal(err)
	}

	bad := NewMain()
	bad.Logger, bad.Stderr = slog.New(slog.DiscardHandler), io.Discard
	if err := bad.ParseFlags([]string{"--db", filepath.Join(dir, "bad.db"), "--root-pub", filepath.Join(dir, "missing.pub")}); err != nil {
		t.Fatal(err)
	}
	if err := bad.Open(t.Context()); err == nil {
		t.Fatal("Open with an unreadable --root-pub succeeded")
	}
	bad.Close()

	m, _ := openSynced(t, "--db", filepath.Join(dir, "office.db"), "--device", "office-1", "--server", hs.URL, "--enroll-code", code, "--root-pub", rootFile)
	if seq, b, err := m.db.TrustList(t.Context()); err != nil || seq != 9 || b == nil {
		t.Fatalf("office holds trust list %d, %v", seq, err)
	}
	if seq, ok := m.trust.Seq(); !ok || seq != 9 {
		t.Fatalf("office serves trust list %d %v", seq, ok)
	}
}

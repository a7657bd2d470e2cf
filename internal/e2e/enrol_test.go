package e2e_test

import (
	"crypto/ed25519"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// enrol registers deviceID on the platform (as `syncserver device add`
// does) and enrols a fresh key kept next to the kiosk's database, as the
// kiosk does on its first start with --enroll-code.
func enrol(t testing.TB, srv *syncserver.Server, url, dir string) ed25519.PrivateKey {
	t.Helper()
	// The whole province: the invariants compare the kiosk with everything
	// the platform holds (a county scope would filter the feed).
	code, _, err := srv.AddDevice(t.Context(), deviceID, "")
	if err != nil {
		t.Fatal(err)
	}
	key, err := syncclient.LoadOrCreateDeviceKey(filepath.Join(dir, "kiosk.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncclient.Enroll(t.Context(), syncclient.EnrollConfig{BaseURL: url, DeviceID: deviceID, Code: code, Key: key}); err != nil {
		t.Fatal(err)
	}
	return key
}

package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// enrol registers device id with `device add`, enrols a fresh key at base
// and returns a function that signs a body-less request as that device.
func enrol(t *testing.T, db, base, id string) func(*http.Request) {
	t.Helper()
	key := enrolKey(t, db, base, id)
	return func(r *http.Request) { signAs(r, key, id) }
}

// enrolKey registers device id with `device add`, enrols a fresh key at
// base and returns that key.
func enrolKey(t *testing.T, db, base, id string) ed25519.PrivateKey {
	t.Helper()
	code, out, errs := run(t, "device", "add", "--db", db, "--id", id)
	if code != 0 {
		t.Fatalf("device add: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("device add printed %q", out)
	}
	key, err := syncclient.LoadOrCreateDeviceKey(filepath.Join(t.TempDir(), "device.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncclient.Enroll(t.Context(), syncclient.EnrollConfig{BaseURL: base, DeviceID: id, Code: lines[1], Key: key}); err != nil {
		t.Fatal(err)
	}
	return key
}

func signAs(r *http.Request, key ed25519.PrivateKey, id string) {
	var n [protocol.NonceBytes]byte
	_, _ = rand.Read(n[:])
	r.Header.Set(protocol.HeaderSignature, protocol.Sign(key, r.Method, r.URL.RequestURI(), id, time.Now(), base64.RawURLEncoding.EncodeToString(n[:]), nil))
}

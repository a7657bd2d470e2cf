package syncserver

import (
	"crypto/ed25519"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Every receipt the platform answers, first or repeated, single or in a
// batch, is signed with its receipt key over the body's digest (I6).
func TestReceiptsSigned(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	for _, withKey := range []bool{true, false} {
		opts := Options{Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return t0 }}
		if withKey {
			opts.ReceiptKey = key
		}
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), opts)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s.Handler())
		c := client{t: t, base: hs.URL, token: tokA}
		id := credit.NewUUID()
		body := objection(id, "signed receipt")
		var sigs []string
		for _, want := range []int{201, 200} {
			resp, b := put(c, id, body, nil)
			var rc protocol.ReceiptV1
			if err := json.Unmarshal(b, &rc); err != nil || resp.StatusCode != want {
				t.Fatalf("PUT %d %s", resp.StatusCode, b)
			}
			r := protocol.ReceiptFromWire(rc)
			err := protocol.VerifyReceipt([]ed25519.PublicKey{pub}, r)
			if (err == nil) != withKey || r.Digest != protocol.BodyDigest(body) {
				t.Fatalf("key %v: receipt %+v: %v", withKey, r, err)
			}
			sigs = append(sigs, r.Signature)
		}
		if sigs[0] != sigs[1] {
			t.Errorf("the repeated receipt is signed differently")
		}
		hs.Close()
		s.Close()
	}
}

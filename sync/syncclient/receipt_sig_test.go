package syncclient

import (
	"crypto/ed25519"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// A receipt is stored only when it verifies with the platform's receipt
// key the device was given; otherwise the application stays pending, the
// attempt is counted and the refusal logged (sync.md I6).
func TestReceiptSignatureChecked(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	other, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name      string
		keys      []ed25519.PublicKey
		delivered bool
	}{
		{"platform's key", []ed25519.PublicKey{pub}, true},
		{"rotated: old and platform's key", []ed25519.PublicKey{other, pub}, true},
		{"another key", []ed25519.PublicKey{other}, false},
		{"no key configured: not checked", nil, true},
	}
	for _, tt := range tests {
		for _, items := range []int{1, 2} { // one PUT, or a batch
			t.Run(tt.name+" "+strings.Repeat("I", items), func(t *testing.T) {
				srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{
					Devices: map[string]string{token: "kiosk-1"}, Now: func() time.Time { return t0 }, ReceiptKey: key})
				if err != nil {
					t.Fatal(err)
				}
				hs := httptest.NewServer(srv.Handler())
				t.Cleanup(func() { hs.Close(); srv.Close() })
				store, logs := newFakeStore(), &lockedbuf.Buffer{}
				var ids []string
				for i := 0; i < items; i++ {
					id := credit.NewUUID()
					ids = append(ids, id)
					store.enqueue(credit.KindObjection, id, objection(id, "signed receipt"))
				}
				c := New(Config{BaseURL: hs.URL, Token: token, DeviceID: "kiosk-1", Outbox: store, Applier: store,
					Logger: slog.New(slog.NewTextHandler(logs, nil)), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
					RetryMax: 1, ReceiptKeys: tt.keys})
				res, err := c.SyncOnce(t.Context())
				if tt.delivered != (err == nil) || tt.delivered != (res.Pushed == items) {
					t.Fatalf("round %+v, %v", res, err)
				}
				if !tt.delivered && credit.ErrorCode(err) != credit.EUNAVAILABLE {
					t.Errorf("err = %v, want unavailable", err)
				}
				apps, _ := srv.Applications(t.Context())
				if len(apps) != items {
					t.Fatalf("platform holds %d applications", len(apps))
				}
				store.mu.Lock()
				defer store.mu.Unlock()
				for _, id := range ids {
					rc, ok := store.delivered[id]
					switch {
					case ok != tt.delivered:
						t.Errorf("%s: delivered %v", id, ok)
					case ok && protocol.VerifyReceipt([]ed25519.PublicKey{pub}, rc) != nil:
						t.Errorf("%s: the stored receipt does not verify", id)
					case !ok && len(store.attempts[id]) != 1:
						t.Errorf("%s: attempts %q", id, store.attempts[id])
					}
				}
				if len(store.rejected) != 0 {
					t.Errorf("rejected %v", store.rejected)
				}
				if refused := strings.Contains(logs.String(), "receipt refused"); refused == tt.delivered {
					t.Errorf("receipt refusal logged %v:\n%s", refused, logs.String())
				}
			})
		}
	}
}

package devicesync

import (
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/app/report"
)

// --receipt-pub is loaded by Check: keys in the file, none without the
// flag, a clear error naming the flag for a missing or malformed file.
func TestFlagsReceiptPub(t *testing.T) {
	dir := t.TempDir()
	pub, _, _ := ed25519.GenerateKey(nil)
	b, err := report.MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(dir, "receipt.pub"), filepath.Join(dir, "bad.pub")
	if err := os.WriteFile(good, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("-----BEGIN NOTHING-----"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		keys int
		err  string
	}{
		{"none", nil, 0, ""},
		{"key file", []string{"--receipt-pub", good}, 1, ""},
		{"missing file", []string{"--receipt-pub", filepath.Join(dir, "nope.pub")}, 0, "--receipt-pub"},
		{"malformed file", []string{"--receipt-pub", bad}, 0, "--receipt-pub " + bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f Flags
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			f.Register(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := f.Check()
			if (err != nil) != (tt.err != "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("Check: %v, want %q", err, tt.err)
			}
			if err != nil {
				return
			}
			keys, err := LoadReceiptKeys(f.ReceiptPub)
			if err != nil || len(keys) != tt.keys {
				t.Fatalf("keys %d, want %d (%v)", len(keys), tt.keys, err)
			}
			if tt.keys == 1 && !keys[0].Equal(pub) {
				t.Error("wrong key loaded")
			}
			if got := ClientConfig(Config{ReceiptKeys: keys}, nil).ReceiptKeys; len(got) != tt.keys {
				t.Errorf("client config keys %d", len(got))
			}
		})
	}
}

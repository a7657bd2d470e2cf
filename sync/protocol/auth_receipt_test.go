package protocol

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestReceiptSignature(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(bytes.NewReader(make([]byte, 64)))
	other, _, _ := ed25519.GenerateKey(nil)
	at := time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	rc := SignReceipt(key, credit.Receipt{ApplicationID: "a1", Digest: BodyDigest([]byte("body")), ServerSeq: 42, ReceivedAt: at})
	tests := []struct {
		name   string
		keys   []ed25519.PublicKey
		change func(*credit.Receipt)
		ok     bool
	}{
		{"as signed", []ed25519.PublicKey{pub}, nil, true},
		{"same instant in UTC", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.ReceivedAt = r.ReceivedAt.UTC() }, true},
		{"among rotated keys", []ed25519.PublicKey{other, pub}, nil, true},
		{"other key", []ed25519.PublicKey{other}, nil, false},
		{"no key", nil, nil, false},
		{"other application", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.ApplicationID = "a2" }, false},
		{"other digest", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.Digest = BodyDigest([]byte("bodz")) }, false},
		{"other seq", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.ServerSeq++ }, false},
		{"other time", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.ReceivedAt = r.ReceivedAt.Add(time.Nanosecond) }, false},
		{"unsigned", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.Signature = "" }, false},
		{"not base64", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.Signature = "!!" }, false},
		{"short", []ed25519.PublicKey{pub}, func(r *credit.Receipt) { r.Signature = base64.StdEncoding.EncodeToString(make([]byte, 63)) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rc
			if tt.change != nil {
				tt.change(&r)
			}
			err := VerifyReceipt(tt.keys, r)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrReceiptSignature) {
				t.Fatalf("VerifyReceipt = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	// Deterministic: the same receipt answered again carries the same signature.
	if again := SignReceipt(key, rc); again.Signature != rc.Signature {
		t.Error("signing twice differs")
	}
}

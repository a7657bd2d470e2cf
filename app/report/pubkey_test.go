package report

import (
	"bytes"
	"testing"
)

func TestPublicKeyPEM(t *testing.T) {
	a, b := testKey(t, 1), testKey(t, 2)
	pa, err := MarshalPublicKey(pubOf(a))
	if err != nil {
		t.Fatal(err)
	}
	privB, err := MarshalPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParsePublicKeys(append(bytes.Clone(pa), privB...))
	if err != nil || len(keys) != 2 || !keys[0].Equal(pubOf(a)) || !keys[1].Equal(pubOf(b)) {
		t.Fatalf("ParsePublicKeys = %v, %v", keys, err)
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("hello"),
		"cert type": []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
		"bad der":   []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
	} {
		if k, err := ParsePublicKeys(in); err == nil {
			t.Errorf("%s: accepted %v", name, k)
		}
	}
}

func FuzzParsePublicKeys(f *testing.F) {
	pa, err := MarshalPublicKey(pubOf(testKey(f, 1)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pa)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := ParsePublicKeys(b)
		if err == nil && len(keys) == 0 {
			t.Fatal("no error and no keys")
		}
		for _, k := range keys {
			if len(k) != 32 {
				t.Fatalf("key of %d bytes", len(k))
			}
		}
	})
}

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

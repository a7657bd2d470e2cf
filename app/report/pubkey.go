package report

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// MarshalPublicKey encodes pub as PEM "PUBLIC KEY" (SubjectPublicKeyInfo),
// the form a device hands the root-key officer for enrolment and the form
// verifiers read root keys in.
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePublicKeys reads every Ed25519 key in a PEM file: "PUBLIC KEY"
// blocks, and the public half of "PRIVATE KEY" blocks. A file with no key,
// or with a key of another algorithm, is an error.
func ParsePublicKeys(b []byte) ([]ed25519.PublicKey, error) {
	var out []ed25519.PublicKey
	for n := 1; ; n++ {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			pub, ok := k.(ed25519.PublicKey)
			if !ok {
				return nil, fmt.Errorf("PEM block %d: key is %T, not Ed25519", n, k)
			}
			out = append(out, pub)
		case "PRIVATE KEY":
			priv, err := ParsePrivateKey(pem.EncodeToMemory(blk))
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			out = append(out, priv.Public().(ed25519.PublicKey))
		default:
			return nil, fmt.Errorf("PEM block %d is %q, want PUBLIC KEY", n, blk.Type)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM \"PUBLIC KEY\" block")
	}
	return out, nil
}

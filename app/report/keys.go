package report

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"time"
)

// KeyID is the COSE kid of a public key: the first 8 bytes of the SHA-256
// of its SubjectPublicKeyInfo DER (as the EU DCC does for certificates).
func KeyID(pub ed25519.PublicKey) [kidLen]byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		// Only wrong-length keys fail; hash the raw bytes so the kid
		// simply matches nothing.
		der = pub
	}
	sum := sha256.Sum256(der)
	return [kidLen]byte(sum[:kidLen])
}

// GenerateKey makes a new Ed25519 signing key from crypto/rand.
func GenerateKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return priv, nil
}

// MarshalPrivateKey encodes a key as PEM "PRIVATE KEY" (PKCS#8).
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePrivateKey decodes a PEM PKCS#8 Ed25519 private key.
func ParsePrivateKey(b []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("no PEM \"PRIVATE KEY\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key is %T, not Ed25519", k)
	}
	return priv, nil
}

// LoadOrCreateKey reads the device's signing key from path (PEM PKCS#8),
// creating it with mode 0600 when the file does not exist. A key file
// readable by group or others is refused (except on Windows, where modes
// do not apply).
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("stat signing key: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("signing key %s has mode %v; it must not be readable by group or others (chmod 600)", path, fi.Mode().Perm())
		}
	}
	priv, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	return priv, nil
}

func createKey(path string) (ed25519.PrivateKey, error) {
	priv, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	b, err := MarshalPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create signing key: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("sync signing key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("close signing key: %w", err)
	}
	return priv, nil
}

// TrustedKey is a public key a verifier accepts, with the office it
// belongs to.
type TrustedKey struct {
	KID        [kidLen]byte
	Public     ed25519.PublicKey
	Office     string
	OfficeCode string
	// Status, SignFrom and SignTo come from a trust list. A key from a
	// plain key file has status 0 (treated as active) and no window.
	Status           KeyStatus
	SignFrom, SignTo time.Time
}

// KeySet is the verifier's list of trusted public keys: from a key file
// (keys only) or from a trust list (TrustList.KeySet: statuses, signing
// windows, revoked reports, freshness). The zero value trusts nothing.
type KeySet struct {
	keys []TrustedKey

	revoked              map[[16]byte]bool
	fromList             bool
	seq                  uint64
	issuedAt, nextUpdate time.Time
}

// TrustListInfo describes the trust list the set came from; ok is false
// for a set read from a key file.
func (s KeySet) TrustListInfo() (seq uint64, issuedAt, nextUpdate time.Time, ok bool) {
	return s.seq, s.issuedAt, s.nextUpdate, s.fromList
}

// NewKeySet builds a set from public keys and their offices.
func NewKeySet(keys ...TrustedKey) KeySet {
	var s KeySet
	for _, k := range keys {
		s.Add(k.Public, k.Office)
	}
	return s
}

// Add trusts pub, issued to office. The kid is computed from pub.
func (s *KeySet) Add(pub ed25519.PublicKey, office string) {
	s.keys = append(s.keys, TrustedKey{KID: KeyID(pub), Public: pub, Office: office})
}

// Len is the number of keys.
func (s KeySet) Len() int { return len(s.keys) }

// Keys returns a copy of the keys.
func (s KeySet) Keys() []TrustedKey { return append([]TrustedKey(nil), s.keys...) }

// lookup returns every key with this kid (kids are truncated hashes, so
// more than one may match).
func (s KeySet) lookup(kid []byte) []TrustedKey {
	var out []TrustedKey
	for _, k := range s.keys {
		if bytes.Equal(k.KID[:], kid) {
			out = append(out, k)
		}
	}
	return out
}

// FormatKeyLine renders one line of a key-set file:
// "<kid hex> <base64 public key> <office name>".
func FormatKeyLine(pub ed25519.PublicKey, office string) string {
	kid := KeyID(pub)
	office = strings.Join(strings.Fields(office), " ")
	return strings.TrimRight(fmt.Sprintf("%s %s %s", hex.EncodeToString(kid[:]), base64.StdEncoding.EncodeToString(pub), office), " ")
}

// ParseKeySet reads a key-set file: one key per line as written by
// FormatKeyLine; blank lines and lines starting with # are ignored. A kid
// that does not match its key is an error.
func ParseKeySet(r io.Reader) (KeySet, error) {
	var s KeySet
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) < 2 {
			return KeySet{}, fmt.Errorf("key set line %d: want \"<kid hex> <base64 public key> [office]\"", n)
		}
		kid, err := hex.DecodeString(f[0])
		if err != nil || len(kid) != kidLen {
			return KeySet{}, fmt.Errorf("key set line %d: kid %q is not %d hex bytes", n, f[0], kidLen)
		}
		pub, err := base64.StdEncoding.DecodeString(f[1])
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return KeySet{}, fmt.Errorf("key set line %d: public key is not %d bytes of base64", n, ed25519.PublicKeySize)
		}
		if want := KeyID(pub); !bytes.Equal(want[:], kid) {
			return KeySet{}, fmt.Errorf("key set line %d: kid %s does not match the key (want %x)", n, f[0], want)
		}
		office := ""
		if len(f) == 3 {
			office = strings.TrimSpace(f[2])
		}
		s.Add(ed25519.PublicKey(pub), office)
	}
	if err := sc.Err(); err != nil {
		return KeySet{}, fmt.Errorf("read key set: %w", err)
	}
	return s, nil
}

// LoadKeySet reads a key-set file from path.
func LoadKeySet(path string) (KeySet, error) {
	f, err := os.Open(path)
	if err != nil {
		return KeySet{}, fmt.Errorf("open key set: %w", err)
	}
	defer f.Close()
	s, err := ParseKeySet(f)
	if err != nil {
		return KeySet{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// AppendPublicKey adds the line for pub to the key-set file at path,
// creating it if needed. A key already in the file is not added twice.
func AppendPublicKey(path string, pub ed25519.PublicKey, office string) error {
	if s, err := LoadKeySet(path); err == nil {
		kid := KeyID(pub)
		for _, k := range s.lookup(kid[:]) {
			if k.Public.Equal(pub) {
				return nil
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open key set: %w", err)
	}
	if _, err := fmt.Fprintln(f, FormatKeyLine(pub, office)); err != nil {
		f.Close()
		return fmt.Errorf("write key set: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close key set: %w", err)
	}
	return nil
}

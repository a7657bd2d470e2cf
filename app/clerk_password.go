package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	credit "github.com/gansu-credit/credit"
)

// Argon2Params are the argon2id cost parameters of new password hashes.
// Verification reads the parameters from the stored hash, so they can be
// raised later without invalidating existing passwords.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultArgon2 is RFC 9106's second recommended option (m = 64 MiB, t = 3,
// p = 4) with a 128-bit salt and a 256-bit tag.
var DefaultArgon2 = Argon2Params{Memory: 64 * 1024, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read back from a stored hash, so that a corrupted
// or hostile hash cannot make verification allocate or loop without end.
const (
	maxArgonMemory  = 1 << 20 // 1 GiB in KiB
	maxArgonTime    = 64
	maxArgonThreads = 64
	minSaltLen      = 8
	maxSaltLen      = 64
	minKeyLen       = 16
	maxKeyLen       = 64
	// MinPasswordRunes is the shortest password a clerk may set.
	MinPasswordRunes = 8
	maxPasswordBytes = 1024
)

// errBadHash says a stored hash is not a PHC argon2id string we accept.
var errBadHash = errors.New("password hash: not a valid argon2id PHC string")

// HashPassword hashes password with argon2id and a fresh random salt and
// returns it in PHC format:
// $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash> (unpadded standard base64).
func HashPassword(p Argon2Params, password string) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC hash, comparing
// in constant time. A malformed hash is an error, never a match.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, key, err := ParsePasswordHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// ParsePasswordHash splits a PHC argon2id string into its parameters, salt
// and tag, refusing other algorithms and versions and out-of-range costs.
func ParsePasswordHash(encoded string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errBadHash
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil || v != strconv.FormatUint(n, 10) {
			return p, nil, nil, errBadHash
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > maxArgonThreads {
				return p, nil, nil, errBadHash
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, errBadHash
		}
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, errBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// check bounds the parameters.
func (p Argon2Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxArgonTime,
		p.Threads < 1 || p.Threads > maxArgonThreads,
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxArgonMemory,
		p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen,
		p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("argon2 parameters out of range: %+v", p)
	}
	return nil
}

// validatePassword checks a new password's length.
func validatePassword(pw string) error {
	if len([]rune(pw)) < MinPasswordRunes || len(pw) > maxPasswordBytes {
		return credit.Errorf(credit.EINVALID, "密码至少%d位。", "The password must have at least %d characters.", MinPasswordRunes)
	}
	return nil
}

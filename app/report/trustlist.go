package report

// The trust list (reports.md §6): a root key, kept offline, signs a
// versioned list of the device keys verifiers accept, their status and
// signing windows, the report numbers revoked one by one, and the next
// root key for rotation.
//
// Wire form (the bytes are the sync payload as is; the same bytes are the
// file the officer hands out):
//
//	signed list = CBOR array [ payload: bstr, root_kid: bstr(8), signature: bstr(64) ]
//	signature   = Ed25519(root, CBOR array [ "CRTL1", payload ])
//	payload     = deterministic CBOR map (trust list schema 1)
//
// An unsigned draft, which `creditctl keys trust-list` edits before the
// root signs it, is the payload map on its own.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// TrustListSchema is the trust-list payload version written and accepted.
const TrustListSchema = 1

// trustListContext separates trust-list signatures from any other use of
// a root key.
const trustListContext = "CRTL1"

// MaxTrustListSize bounds the bytes LoadTrustList looks at.
const MaxTrustListSize = 4 << 20

// KeyStatus is a device key's standing in the trust list.
type KeyStatus uint8

// Key statuses. The zero value (a key from a plain key file) is treated
// as active with no signing window.
const (
	KeyActive      KeyStatus = 1 // may sign within its window
	KeyRetired     KeyStatus = 2 // benign: reports signed inside the window stay valid
	KeyCompromised KeyStatus = 3 // every report it signed is refused offline
)

// String is the status name used by the CLI.
func (s KeyStatus) String() string {
	switch s {
	case 0, KeyActive:
		return "active"
	case KeyRetired:
		return "retired"
	case KeyCompromised:
		return "compromised"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// ListKey is one device key in a trust list.
type ListKey struct {
	Public     ed25519.PublicKey
	OfficeCode string // 行政区划代码 or office code
	OfficeName string // shown by verifiers
	Status     KeyStatus
	SignFrom   time.Time // first second the key may sign
	SignTo     time.Time // last second it may sign; zero = open (active keys only)
	StatusAt   time.Time // when the status last changed
}

// KID is the key's COSE kid.
func (k ListKey) KID() [kidLen]byte { return KeyID(k.Public) }

// RevokedHash is the form a revoked report number takes in the list: the
// first 16 bytes of SHA-256 of the report number.
func RevokedHash(reportID string) [16]byte {
	s := sha256.Sum256([]byte(reportID))
	return [16]byte(s[:16])
}

// TrustList is a decoded trust list.
type TrustList struct {
	Seq        uint64 // monotonic; verifiers refuse a lower one
	IssuedAt   time.Time
	NextUpdate time.Time // after this, verifiers warn TRUST_LIST_STALE
	Keys       []ListKey
	Revoked    [][16]byte        // RevokedHash of each revoked report number, sorted
	NextRoot   ed25519.PublicKey // the root that will sign later lists; nil if none

	// Root is the root key whose signature LoadTrustList checked; nil for
	// a draft.
	Root ed25519.PublicKey
	// Raw is the signed bytes as loaded (nil for a draft).
	Raw []byte
}

// Trust-list payload keys.
const (
	tlSchema = iota
	tlSeq
	tlIssuedAt
	tlNextUpdate
	tlKeys
	tlRevoked
	tlNextRoot // optional
)

// Key entry keys.
const (
	tkPublic = iota
	tkAlg
	tkOfficeCode
	tkOfficeName
	tkStatus
	tkSignFrom
	tkSignTo // optional
	tkStatusAt
)

// Errors of LoadTrustList, for errors.Is.
var (
	ErrTrustListMalformed = errors.New("trust list malformed")
	ErrTrustListSignature = errors.New("trust list not signed by a trusted root key")
	ErrTrustListRollback  = errors.New("trust list rollback refused")
)

// trustListTBS is what the root signs.
func trustListTBS(payload []byte) []byte {
	var e cborEnc
	e.array(2)
	e.text(trustListContext)
	e.bytes(payload)
	return e.b
}

// SignTrustList validates tl and signs its payload with the root key,
// returning the wire bytes.
func SignTrustList(tl *TrustList, root ed25519.PrivateKey) ([]byte, error) {
	if len(root) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("sign trust list: root key is %d bytes, want %d", len(root), ed25519.PrivateKeySize)
	}
	if err := tl.validate(); err != nil {
		return nil, fmt.Errorf("sign trust list: %w", err)
	}
	payload := tl.Marshal()
	pub := root.Public().(ed25519.PublicKey)
	kid := KeyID(pub)
	var e cborEnc
	e.array(3)
	e.bytes(payload)
	e.bytes(kid[:])
	e.bytes(ed25519.Sign(root, trustListTBS(payload)))
	return e.b, nil
}

// LoadTrustList checks a signed trust list: it must be well formed,
// signed by one of roots, and its seq must not be below previousSeq (pass
// 0 the first time). A list signed by the current root that names a
// NextRoot is accepted as usual; the caller then trusts NextRoot for the
// lists that follow (see Update).
func LoadTrustList(data []byte, roots []ed25519.PublicKey, previousSeq uint64) (*TrustList, error) {
	if len(data) > MaxTrustListSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTrustListMalformed, len(data), MaxTrustListSize)
	}
	v, err := cborDecode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustListMalformed, err)
	}
	arr, ok := v.([]any)
	if !ok || len(arr) != 3 {
		return nil, fmt.Errorf("%w: not a signed trust list (want [payload, kid, signature])", ErrTrustListMalformed)
	}
	payload, ok1 := arr[0].([]byte)
	kid, ok2 := arr[1].([]byte)
	sig, ok3 := arr[2].([]byte)
	if !ok1 || !ok2 || !ok3 || len(kid) != kidLen || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signed trust list elements have the wrong types or sizes", ErrTrustListMalformed)
	}
	var signer ed25519.PublicKey
	tbs := trustListTBS(payload)
	for _, r := range roots {
		if len(r) != ed25519.PublicKeySize {
			continue
		}
		if k := KeyID(r); bytes.Equal(k[:], kid) && ed25519.Verify(r, tbs, sig) {
			signer = r
			break
		}
	}
	if signer == nil {
		return nil, fmt.Errorf("%w (root kid %s)", ErrTrustListSignature, hex.EncodeToString(kid))
	}
	tl, err := ParseTrustListDraft(payload)
	if err != nil {
		return nil, err
	}
	if tl.Seq < previousSeq {
		return nil, fmt.Errorf("%w: seq %d is below the %d already loaded", ErrTrustListRollback, tl.Seq, previousSeq)
	}
	tl.Root, tl.Raw = signer, bytes.Clone(data)
	return tl, nil
}

// Update loads a newer signed list in place of tl: it must be signed by
// tl's root or by the NextRoot tl names, and its seq must not be lower.
func (tl *TrustList) Update(data []byte) (*TrustList, error) {
	roots := []ed25519.PublicKey{tl.Root}
	if tl.NextRoot != nil {
		roots = append(roots, tl.NextRoot)
	}
	return LoadTrustList(data, roots, tl.Seq)
}

// ParseTrustList reads a signed list or a draft without checking any
// signature, for the officer's editing tools. Verifiers use LoadTrustList.
func ParseTrustList(data []byte) (*TrustList, error) {
	if len(data) > MaxTrustListSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTrustListMalformed, len(data), MaxTrustListSize)
	}
	v, err := cborDecode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustListMalformed, err)
	}
	if arr, ok := v.([]any); ok && len(arr) == 3 {
		if payload, ok := arr[0].([]byte); ok {
			return ParseTrustListDraft(payload)
		}
	}
	return ParseTrustListDraft(data)
}

// ParseTrustListDraft decodes and validates an unsigned payload.
func ParseTrustListDraft(payload []byte) (*TrustList, error) {
	tl, err := decodeTrustList(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustListMalformed, err)
	}
	if err := tl.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTrustListMalformed, err)
	}
	return tl, nil
}

// Find returns the index of the key with this kid (16 hex digits), or -1.
// A kid shared by two keys is an error.
func (tl *TrustList) Find(kidOrKey string) (int, error) {
	found := -1
	for i, k := range tl.Keys {
		kid := k.KID()
		if hex.EncodeToString(kid[:]) == kidOrKey {
			if found >= 0 {
				return -1, fmt.Errorf("kid %s names more than one key; give the public key instead", kidOrKey)
			}
			found = i
		}
	}
	return found, nil
}

// KeySet is the verifier's view of the list.
func (tl *TrustList) KeySet() KeySet {
	var s KeySet
	for _, k := range tl.Keys {
		s.keys = append(s.keys, TrustedKey{KID: k.KID(), Public: k.Public, Office: k.OfficeName, OfficeCode: k.OfficeCode,
			Status: k.Status, SignFrom: k.SignFrom, SignTo: k.SignTo})
	}
	s.revoked = make(map[[16]byte]bool, len(tl.Revoked))
	for _, h := range tl.Revoked {
		s.revoked[h] = true
	}
	s.fromList, s.seq, s.issuedAt, s.nextUpdate = true, tl.Seq, tl.IssuedAt, tl.NextUpdate
	return s
}

// validate checks the rules every list obeys, signed or draft.
func (tl *TrustList) validate() error {
	if tl.NextRoot != nil && len(tl.NextRoot) != ed25519.PublicKeySize {
		return fmt.Errorf("next_root is %d bytes, want %d", len(tl.NextRoot), ed25519.PublicKeySize)
	}
	if !tl.NextUpdate.IsZero() && tl.NextUpdate.Before(tl.IssuedAt) {
		return fmt.Errorf("next_update %s is before issued_at %s", tl.NextUpdate.UTC().Format(time.RFC3339), tl.IssuedAt.UTC().Format(time.RFC3339))
	}
	seen := map[string]bool{}
	for i, k := range tl.Keys {
		switch {
		case len(k.Public) != ed25519.PublicKeySize:
			return fmt.Errorf("key %d: public key is %d bytes, want %d", i, len(k.Public), ed25519.PublicKeySize)
		case seen[string(k.Public)]:
			return fmt.Errorf("key %d: listed twice", i)
		case k.Status < KeyActive || k.Status > KeyCompromised:
			return fmt.Errorf("key %d: unknown status %d", i, k.Status)
		case k.SignFrom.IsZero():
			return fmt.Errorf("key %d: sign_from missing", i)
		case !k.SignTo.IsZero() && k.SignTo.Before(k.SignFrom):
			return fmt.Errorf("key %d: sign_to before sign_from", i)
		case k.Status == KeyRetired && k.SignTo.IsZero():
			return fmt.Errorf("key %d: a retired key needs sign_to", i)
		case len(k.OfficeName) > 200 || len(k.OfficeCode) > maxOfficeLen:
			return fmt.Errorf("key %d: office name or code too long", i)
		}
		seen[string(k.Public)] = true
	}
	return nil
}

// CheckSigner says whether the device key pub may sign at time at under
// this list (§6: a kiosk refuses to sign with a key that is not active
// and in its window). The error is a *credit.Error for the operator.
func (tl *TrustList) CheckSigner(pub ed25519.PublicKey, at time.Time) error {
	for _, k := range tl.Keys {
		if !k.Public.Equal(pub) {
			continue
		}
		switch {
		case k.Status == KeyCompromised:
			return credit.Errorf(credit.EUNAUTHORIZED, "本机签名密钥已被吊销，不能出具报告。", "This device's signing key is marked compromised; it may not sign.")
		case k.Status != KeyActive:
			return credit.Errorf(credit.EUNAUTHORIZED, "本机签名密钥已停用，不能出具报告。", "This device's signing key is %s; it may not sign.", k.Status)
		case at.Before(k.SignFrom) || (!k.SignTo.IsZero() && at.After(k.SignTo)):
			return credit.Errorf(credit.EUNAUTHORIZED, "当前时间不在本机签名密钥的有效期内。", "Now is outside this device key's signing window %s.", window(k.SignFrom, k.SignTo))
		}
		return nil
	}
	kid := KeyID(pub)
	return credit.Errorf(credit.EUNAUTHORIZED, "本机签名密钥不在核验数据中，请先登记。", "This device's signing key (kid %x) is not in the trust list; enrol it first.", kid)
}

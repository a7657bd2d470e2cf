package syncserver

import (
	"crypto/ed25519"
	"errors"
	"sync/atomic"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// TrustVerifier is the port to the report verifier (app/report), which
// layout.md keeps out of this package: cmd/syncserver registers the
// implementation with RegisterTrustVerifier, as database/sql drivers
// register themselves.
type TrustVerifier interface {
	// LoadTrustList checks signed trust-list bytes: well formed, signed
	// by one of roots, seq not below prevSeq. A wrong signature wraps
	// ErrTrustListSignature, a lower seq ErrTrustListRollback; anything
	// else is malformed.
	LoadTrustList(signed []byte, roots []ed25519.PublicKey, prevSeq uint64) (*TrustListInfo, error)
	// VerifyReport runs the §7.4 verifier on a QR text against a list
	// LoadTrustList returned, at now. Registry is left for the caller.
	VerifyReport(text string, list *TrustListInfo, now time.Time) protocol.VerifyV1
}

// TrustListInfo is what the platform needs of a loaded trust list.
type TrustListInfo struct {
	Seq        uint64
	IssuedAt   time.Time
	NextUpdate time.Time
	Root       ed25519.PublicKey // the root whose signature was checked
	NextRoot   ed25519.PublicKey // nil if none
	Keys       []TrustListKey
	Revoked    int                  // how many report numbers are revoked
	IsRevoked  func(no string) bool // whether report number no is revoked
	Signed     []byte               // the signed bytes as loaded
	Loaded     any                  // the verifier's own form, for VerifyReport
}

// TrustListKey is one signing key of a trust list.
type TrustListKey struct {
	KID        string // 16 hex digits
	Status     string // active | retired | compromised
	OfficeCode string
	OfficeName string
}

// Errors a TrustVerifier wraps.
var (
	ErrTrustListSignature = errors.New("trust list not signed by a trusted root key")
	ErrTrustListRollback  = errors.New("trust list rollback refused")
)

// ErrNoTrustVerifier is returned when no TrustVerifier was registered.
var ErrNoTrustVerifier = credit.Errorf(credit.EUNAVAILABLE, "平台未配置报告核验组件。", "The platform has no report verifier configured.")

var trustVerifier atomic.Pointer[TrustVerifier]

// RegisterTrustVerifier sets the verifier every Server uses.
func RegisterTrustVerifier(v TrustVerifier) { trustVerifier.Store(&v) }

func currentVerifier() (TrustVerifier, error) {
	if v := trustVerifier.Load(); v != nil && *v != nil {
		return *v, nil
	}
	return nil, ErrNoTrustVerifier
}

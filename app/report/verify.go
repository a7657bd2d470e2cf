package report

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Prefix starts every QR text of schema 1: "CR1:" + Base45(COSE_Sign1).
const Prefix = "CR1:"

// MaxTextLen is the longest QR text Verify will look at.
const MaxTextLen = 4096

// ClockSkew is how far in the future an iat may lie before the report is
// NOT_YET_VALID.
const ClockSkew = 10 * time.Minute

// Status is the outcome of verifying a QR text (§7.4).
type Status string

// Statuses, in the order Verify evaluates them (§7.4).
const (
	StatusMalformed      Status = "MALFORMED"
	StatusUnknownKey     Status = "UNKNOWN_KEY"
	StatusAltered        Status = "ALTERED"
	StatusKeyCompromised Status = "KEY_COMPROMISED"
	StatusKeyOutOfWindow Status = "KEY_OUT_OF_WINDOW"
	StatusNotYetValid    Status = "NOT_YET_VALID"
	StatusReportRevoked  Status = "REPORT_REVOKED"
	StatusExpired        Status = "EXPIRED"
	StatusValid          Status = "VALID"
)

// Warning is a remark that does not change the status.
type Warning struct {
	Code      string // e.g. TRUST_LIST_STALE
	MessageZH string
	MessageEN string
}

// WarnTrustListStale is set when the trust list is past its next_update.
const WarnTrustListStale = "TRUST_LIST_STALE"

var statusInfo = map[Status]struct {
	code   int
	zh, en string
}{
	StatusMalformed:      {30, "无法识别的二维码", "Unrecognised QR code"},
	StatusUnknownKey:     {21, "签发密钥未知，请更新核验数据或联网核验", "Unknown signing key; update the verification data or verify online"},
	StatusAltered:        {20, "内容被篡改或伪造", "The content has been altered or forged"},
	StatusKeyCompromised: {22, "签发密钥已吊销，请联网核验", "The signing key has been revoked; verify online"},
	StatusKeyOutOfWindow: {23, "签发时间超出密钥有效期", "Signed outside the signing key's validity window"},
	StatusNotYetValid:    {24, "签发时间异常", "The issue time lies in the future"},
	StatusReportRevoked:  {25, "报告已撤销/作废", "The report has been revoked"},
	StatusExpired:        {10, "报告已过有效期", "The report has expired"},
	StatusValid:          {0, "真实有效", "Genuine and valid"},
}

// ExitCode is the process exit status for s (§7.4).
func (s Status) ExitCode() int {
	if i, ok := statusInfo[s]; ok {
		return i.code
	}
	return 30
}

// Message returns the status's Chinese and English explanation.
func (s Status) Message() (zh, en string) {
	i := statusInfo[s]
	return i.zh, i.en
}

// Result is what Verify found.
type Result struct {
	Status    Status
	ExitCode  int
	MessageZH string
	MessageEN string
	// Detail is a technical reason (English) for MALFORMED and friends.
	Detail string
	// KID is the key id from the header, hex; empty when unparseable.
	KID string
	// Office is the issuing office from the key set (signature verified).
	Office     string
	OfficeCode string
	// Claims are set only when the signature verified with a key in good
	// standing (VALID, EXPIRED, NOT_YET_VALID, REPORT_REVOKED): unsigned
	// data, or data a compromised key signed, is never shown as
	// trustworthy.
	Claims *Claims
	// Warnings do not change the status (TRUST_LIST_STALE).
	Warnings []Warning
	// TrustListSeq and TrustListIssued describe the trust list used; zero
	// when verifying against a plain key file.
	TrustListSeq    uint64
	TrustListIssued time.Time
	// Code is the 8-character verification code printed under the QR.
	Code string
}

func result(s Status, detail string) Result {
	zh, en := s.Message()
	return Result{Status: s, ExitCode: s.ExitCode(), MessageZH: zh, MessageEN: en, Detail: detail}
}

// Signed is a signed claim set ready to print.
type Signed struct {
	Text      string // "CR1:" + Base45, QR alphanumeric mode only
	Claims    Claims
	KID       [kidLen]byte
	Signature []byte
	Code      string // verification code, see VerificationCode
}

// Sign validates c, signs it as COSE_Sign1 (EdDSA) and encodes the QR
// text. signer is an ed25519.PrivateKey or any crypto.Signer whose public
// key is Ed25519 (a token or HSM later); other algorithms arrive with
// their COSE alg values.
func Sign(signer crypto.Signer, c Claims) (Signed, error) {
	if k, ok := signer.(ed25519.PrivateKey); ok && len(k) != ed25519.PrivateKeySize {
		return Signed{}, fmt.Errorf("sign report: private key is %d bytes, want %d", len(k), ed25519.PrivateKeySize)
	}
	if signer == nil {
		return Signed{}, fmt.Errorf("sign report: no signing key")
	}
	pub, ok := signer.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return Signed{}, fmt.Errorf("sign report: the key is %T, only Ed25519 is supported", signer.Public())
	}
	c.IssuedAt, c.Expires = c.IssuedAt.Truncate(time.Second).UTC(), c.Expires.Truncate(time.Second).UTC()
	if err := c.validate(); err != nil {
		return Signed{}, fmt.Errorf("sign report: %w", err)
	}
	msg, kid, sig, err := signSign1(signer, pub, c.marshal())
	if err != nil {
		return Signed{}, fmt.Errorf("sign report: %w", err)
	}
	return Signed{
		Text:      Prefix + Base45Encode(msg),
		Claims:    c,
		KID:       kid,
		Signature: sig,
		Code:      VerificationCode(sig),
	}, nil
}

// crockford is Crockford's Base32 alphabet (no I, L, O, U).
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// VerificationCode is the 8-character 核验码 printed under the QR for
// online lookup: Crockford Base32 of the first 5 bytes of SHA-256 of the
// signature.
func VerificationCode(sig []byte) string {
	sum := sha256.Sum256(sig)
	return crockford.EncodeToString(sum[:5])
}

// Verify checks a QR text against the trusted keys at time now and reports
// the first failure in the §7.4 order: MALFORMED, UNKNOWN_KEY, ALTERED,
// KEY_COMPROMISED, KEY_OUT_OF_WINDOW, NOT_YET_VALID, REPORT_REVOKED,
// EXPIRED, else VALID. A key set from a trust list past its next_update
// adds the TRUST_LIST_STALE warning to any outcome.
func Verify(text string, keys KeySet, now time.Time) Result {
	r := verify(text, keys, now)
	if seq, issued, next, ok := keys.TrustListInfo(); ok {
		r.TrustListSeq, r.TrustListIssued = seq, issued
		if !next.IsZero() && now.After(next) {
			r.Warnings = append(r.Warnings, Warning{Code: WarnTrustListStale,
				MessageZH: "核验数据已过期，请更新（" + next.In(credit.China).Format("2006-01-02") + " 前应更新）",
				MessageEN: "The trust list is out of date (due for update on " + next.UTC().Format("2006-01-02") + "); update it"})
		}
	}
	return r
}

func verify(text string, keys KeySet, now time.Time) Result {
	if len(text) > MaxTextLen {
		return result(StatusMalformed, fmt.Sprintf("input is %d bytes, at most %d", len(text), MaxTextLen))
	}
	body, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		return result(StatusMalformed, fmt.Sprintf("text does not start with %q", Prefix))
	}
	raw, err := Base45Decode(body)
	if err != nil {
		return result(StatusMalformed, err.Error())
	}
	msg, err := parseSign1(raw)
	if err != nil {
		return result(StatusMalformed, "COSE_Sign1: "+err.Error())
	}
	claims, err := unmarshalClaims(msg.payload)
	if err != nil {
		return result(StatusMalformed, "claims: "+err.Error())
	}
	kidHex := hex.EncodeToString(msg.kid)
	candidates := keys.lookup(msg.kid)
	if len(candidates) == 0 || msg.alg != coseAlgEdDSA {
		r := result(StatusUnknownKey, fmt.Sprintf("no trusted key with kid %s and alg %d", kidHex, msg.alg))
		r.KID = kidHex
		return r
	}
	toBeSigned := sigStructure(msg.protected, msg.payload)
	var signer *TrustedKey
	for i := range candidates {
		if ed25519.Verify(candidates[i].Public, toBeSigned, msg.signature) {
			signer = &candidates[i]
			break
		}
	}
	if signer == nil {
		r := result(StatusAltered, "signature does not verify with any key of kid "+kidHex)
		r.KID = kidHex
		return r
	}
	var r Result
	iat := claims.IssuedAt
	switch {
	case signer.Status == KeyCompromised:
		r = result(StatusKeyCompromised, "the signing key is marked compromised in the trust list")
		r.KID, r.Office, r.OfficeCode = kidHex, signer.Office, signer.OfficeCode
		return r // a thief controls iat and content: show nothing signed
	case (!signer.SignFrom.IsZero() && iat.Before(signer.SignFrom)) || (!signer.SignTo.IsZero() && iat.After(signer.SignTo)):
		r = result(StatusKeyOutOfWindow, fmt.Sprintf("issued at %s; the %s key may sign %s", iat.Format(time.RFC3339), signer.Status, window(signer.SignFrom, signer.SignTo)))
		r.KID, r.Office, r.OfficeCode = kidHex, signer.Office, signer.OfficeCode
		return r
	case iat.After(now.Add(ClockSkew)):
		r = result(StatusNotYetValid, fmt.Sprintf("issued at %s, now %s", iat.Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	case keys.revoked[RevokedHash(claims.ReportID)]:
		r = result(StatusReportRevoked, "report "+claims.ReportID+" is on the trust list's revocation list")
	case now.After(claims.Expires):
		r = result(StatusExpired, "expired at "+claims.Expires.Format(time.RFC3339))
	default:
		r = result(StatusValid, "")
	}
	r.KID, r.Office, r.OfficeCode, r.Claims, r.Code = kidHex, signer.Office, signer.OfficeCode, &claims, VerificationCode(msg.signature)
	return r
}

func window(from, to time.Time) string {
	f, t := "…", "…"
	if !from.IsZero() {
		f = from.UTC().Format(time.RFC3339)
	}
	if !to.IsZero() {
		t = to.UTC().Format(time.RFC3339)
	}
	return f + " – " + t
}

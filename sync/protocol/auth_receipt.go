package protocol

// Receipt signatures (sync.md §2.6, invariant I6): the platform signs
// every receipt it answers with its receipt key (Ed25519), so a device can
// show that the platform holds exactly the body it sent, and nothing on
// the way can forge or alter that proof. The signature is over five lines
// joined by "\n":
//
//	credit-receipt-v1
//	<application id>
//	<hex SHA-256 of the body as received>
//	<server seq, decimal>
//	<received_at, UTC, RFC 3339 with nanoseconds>
//
// and travels in the receipt's signature field as standard base64.

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// receiptLabel starts every receipt signature base.
const receiptLabel = "credit-receipt-v1"

// ReceiptSignatureBase returns the bytes a receipt signature covers.
func ReceiptSignatureBase(rc credit.Receipt) []byte {
	return []byte(strings.Join([]string{receiptLabel, rc.ApplicationID, rc.Digest,
		strconv.FormatInt(rc.ServerSeq, 10), rc.ReceivedAt.UTC().Format(time.RFC3339Nano)}, "\n"))
}

// SignReceipt returns rc with its Signature set by key.
func SignReceipt(key ed25519.PrivateKey, rc credit.Receipt) credit.Receipt {
	rc.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, ReceiptSignatureBase(rc)))
	return rc
}

// ErrReceiptSignature says a receipt's signature is missing or verifies
// with none of the platform's receipt keys.
var ErrReceiptSignature = errors.New("protocol: receipt signature does not verify")

// VerifyReceipt checks rc's signature against the platform's receipt keys
// (any one of them, so that a key can be rotated).
func VerifyReceipt(keys []ed25519.PublicKey, rc credit.Receipt) error {
	if rc.Signature == "" {
		return fmt.Errorf("%w: the receipt is not signed", ErrReceiptSignature)
	}
	if len(rc.Signature) > 128 {
		return fmt.Errorf("%w: signature too long", ErrReceiptSignature)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(rc.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: not a signature", ErrReceiptSignature)
	}
	base := ReceiptSignatureBase(rc)
	for _, k := range keys {
		if len(k) == ed25519.PublicKeySize && ed25519.Verify(k, base, sig) {
			return nil
		}
	}
	return ErrReceiptSignature
}

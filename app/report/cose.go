package report

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"fmt"
)

// COSE constants (RFC 9052/9053).
const (
	coseTagSign1   = 18
	coseHdrAlg     = 1
	coseHdrKID     = 4
	coseAlgEdDSA   = -8
	kidLen         = 8
	ed25519SigSize = ed25519.SignatureSize
)

// sign1 is a parsed COSE_Sign1 message.
type sign1 struct {
	protected []byte // the serialized protected header, as signed
	alg       int64
	kid       []byte
	payload   []byte
	signature []byte
}

// protectedHeader encodes {1: -8, 4: kid} deterministically.
func protectedHeader(kid [kidLen]byte) []byte {
	var e cborEnc
	e.mapHead(2)
	e.uint(coseHdrAlg)
	e.int(coseAlgEdDSA)
	e.uint(coseHdrKID)
	e.bytes(kid[:])
	return e.b
}

// sigStructure is the Sig_structure of RFC 9052 §4.4 for COSE_Sign1 with an
// empty external_aad.
func sigStructure(protected, payload []byte) []byte {
	var e cborEnc
	e.array(4)
	e.text("Signature1")
	e.bytes(protected)
	e.bytes(nil)
	e.bytes(payload)
	return e.b
}

// signSign1 builds a tagged COSE_Sign1 over payload with an Ed25519
// signer (a key in memory, or later a token or HSM).
func signSign1(signer crypto.Signer, pub ed25519.PublicKey, payload []byte) (msg []byte, kid [kidLen]byte, sig []byte, err error) {
	kid = KeyID(pub)
	prot := protectedHeader(kid)
	sig, err = signer.Sign(nil, sigStructure(prot, payload), crypto.Hash(0))
	if err != nil {
		return nil, kid, nil, fmt.Errorf("ed25519 sign: %w", err)
	}
	if len(sig) != ed25519SigSize || !ed25519.Verify(pub, sigStructure(prot, payload), sig) {
		return nil, kid, nil, fmt.Errorf("the signer returned an invalid Ed25519 signature")
	}
	var e cborEnc
	e.tag(coseTagSign1)
	e.array(4)
	e.bytes(prot)
	e.mapHead(0)
	e.bytes(payload)
	e.bytes(sig)
	return e.b, kid, sig, nil
}

// parseSign1 decodes a tagged COSE_Sign1 and its protected header. It does
// not check the signature.
func parseSign1(b []byte) (sign1, error) {
	v, err := cborDecode(b)
	if err != nil {
		return sign1{}, err
	}
	tag, ok := v.(cborTag)
	if !ok || tag.num != coseTagSign1 {
		return sign1{}, fmt.Errorf("not a tagged COSE_Sign1")
	}
	arr, ok := tag.v.([]any)
	if !ok || len(arr) != 4 {
		return sign1{}, fmt.Errorf("COSE_Sign1 is not a 4-element array")
	}
	var s sign1
	prot, ok1 := arr[0].([]byte)
	unprot, ok2 := arr[1].(cborMap)
	payload, ok3 := arr[2].([]byte)
	sig, ok4 := arr[3].([]byte)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return sign1{}, fmt.Errorf("COSE_Sign1 elements have the wrong types")
	}
	if len(unprot) != 0 {
		return sign1{}, fmt.Errorf("unprotected header must be empty")
	}
	hv, err := cborDecode(prot)
	if err != nil {
		return sign1{}, fmt.Errorf("protected header: %w", err)
	}
	hdr, ok := hv.(cborMap)
	if !ok || len(hdr) != 2 {
		return sign1{}, fmt.Errorf("protected header must be a map of alg and kid")
	}
	av, _ := hdr.int(coseHdrAlg)
	switch a := av.(type) {
	case int64:
		s.alg = a
	case uint64:
		if a > 1<<62 {
			return sign1{}, fmt.Errorf("alg out of range")
		}
		s.alg = int64(a)
	default:
		return sign1{}, fmt.Errorf("protected header has no integer alg")
	}
	kv, _ := hdr.int(coseHdrKID)
	kid, ok := kv.([]byte)
	if !ok || len(kid) != kidLen {
		return sign1{}, fmt.Errorf("protected header has no %d-byte kid", kidLen)
	}
	// Re-encoding must give the same bytes: one header, one encoding.
	if s.alg == coseAlgEdDSA && !bytes.Equal(prot, protectedHeader([kidLen]byte(kid))) {
		return sign1{}, fmt.Errorf("protected header is not in deterministic form")
	}
	if len(sig) != ed25519SigSize {
		return sign1{}, fmt.Errorf("signature is %d bytes, want %d", len(sig), ed25519SigSize)
	}
	s.protected, s.kid, s.payload, s.signature = prot, kid, payload, sig
	return s, nil
}

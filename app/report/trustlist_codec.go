package report

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Deterministic CBOR encoding and strict decoding of trust-list payloads.

// Marshal encodes the list's payload as deterministic CBOR (a draft).
// Keys keep their order; revoked hashes are sorted and deduplicated.
func (tl *TrustList) Marshal() []byte {
	var e cborEnc
	n := 6
	if tl.NextRoot != nil {
		n++
	}
	e.mapHead(n)
	e.uint(tlSchema)
	e.uint(TrustListSchema)
	e.uint(tlSeq)
	e.uint(tl.Seq)
	e.uint(tlIssuedAt)
	e.uint(unixUint(tl.IssuedAt))
	e.uint(tlNextUpdate)
	e.uint(unixUint(tl.NextUpdate))
	e.uint(tlKeys)
	e.array(len(tl.Keys))
	for _, k := range tl.Keys {
		m := 7
		if !k.SignTo.IsZero() {
			m++
		}
		e.mapHead(m)
		e.uint(tkPublic)
		e.bytes(k.Public)
		e.uint(tkAlg)
		e.int(coseAlgEdDSA)
		e.uint(tkOfficeCode)
		e.text(k.OfficeCode)
		e.uint(tkOfficeName)
		e.text(k.OfficeName)
		e.uint(tkStatus)
		e.uint(uint64(k.Status))
		e.uint(tkSignFrom)
		e.uint(unixUint(k.SignFrom))
		if !k.SignTo.IsZero() {
			e.uint(tkSignTo)
			e.uint(unixUint(k.SignTo))
		}
		e.uint(tkStatusAt)
		e.uint(unixUint(k.StatusAt))
	}
	rev := sortedRevoked(tl.Revoked)
	e.uint(tlRevoked)
	e.array(len(rev))
	for _, h := range rev {
		e.bytes(h[:])
	}
	if tl.NextRoot != nil {
		e.uint(tlNextRoot)
		e.bytes(tl.NextRoot)
	}
	return e.b
}

func unixUint(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(max(t.Unix(), 0))
}

func sortedRevoked(in [][16]byte) [][16]byte {
	out := slices.Clone(in)
	slices.SortFunc(out, func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(out)
}

func decodeTrustList(b []byte) (*TrustList, error) {
	v, err := cborDecode(b)
	if err != nil {
		return nil, err
	}
	m, ok := v.(cborMap)
	if !ok {
		return nil, errors.New("payload is not a map")
	}
	for _, p := range m {
		if k, ok := p.k.(uint64); !ok || k > tlNextRoot {
			return nil, fmt.Errorf("unknown trust list field %v", p.k)
		}
	}
	if s, err := claimUint(m, tlSchema); err != nil {
		return nil, err
	} else if s != TrustListSchema {
		return nil, fmt.Errorf("unknown trust list schema %d", s)
	}
	tl := &TrustList{}
	if tl.Seq, err = claimUint(m, tlSeq); err != nil {
		return nil, err
	}
	if tl.IssuedAt, err = claimTime(m, tlIssuedAt); err != nil {
		return nil, err
	}
	if tl.NextUpdate, err = claimTime(m, tlNextUpdate); err != nil {
		return nil, err
	}
	kv, _ := m.int(tlKeys)
	keys, ok := kv.([]any)
	if !ok {
		return nil, errors.New("keys missing or not an array")
	}
	for i, x := range keys {
		k, err := decodeListKey(x)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
		tl.Keys = append(tl.Keys, k)
	}
	rv, _ := m.int(tlRevoked)
	rev, ok := rv.([]any)
	if !ok {
		return nil, errors.New("revoked missing or not an array")
	}
	var prev []byte
	for _, x := range rev {
		h, ok := x.([]byte)
		if !ok || len(h) != 16 {
			return nil, errors.New("revoked entry is not 16 bytes")
		}
		if prev != nil && bytes.Compare(prev, h) >= 0 {
			return nil, errors.New("revoked entries not sorted or duplicated")
		}
		prev = h
		tl.Revoked = append(tl.Revoked, [16]byte(h))
	}
	if nv, present := m.int(tlNextRoot); present {
		nr, ok := nv.([]byte)
		if !ok || len(nr) != ed25519.PublicKeySize {
			return nil, errors.New("next_root is not a 32-byte key")
		}
		tl.NextRoot = ed25519.PublicKey(nr)
	}
	return tl, nil
}

func decodeListKey(x any) (ListKey, error) {
	m, ok := x.(cborMap)
	if !ok {
		return ListKey{}, errors.New("not a map")
	}
	for _, p := range m {
		if k, ok := p.k.(uint64); !ok || k > tkStatusAt {
			return ListKey{}, fmt.Errorf("unknown field %v", p.k)
		}
	}
	var k ListKey
	pv, _ := m.int(tkPublic)
	pub, ok := pv.([]byte)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return ListKey{}, errors.New("public key missing or not 32 bytes")
	}
	k.Public = ed25519.PublicKey(pub)
	if av, _ := m.int(tkAlg); av != int64(coseAlgEdDSA) {
		return ListKey{}, fmt.Errorf("alg %v is not EdDSA (-8)", av)
	}
	var err error
	if k.OfficeCode, err = claimText(m, tkOfficeCode); err != nil {
		return ListKey{}, err
	}
	if k.OfficeName, err = claimText(m, tkOfficeName); err != nil {
		return ListKey{}, err
	}
	st, err := claimUint(m, tkStatus)
	if err != nil {
		return ListKey{}, err
	}
	if st > 255 {
		return ListKey{}, fmt.Errorf("unknown status %d", st)
	}
	k.Status = KeyStatus(st)
	if k.SignFrom, err = claimTime(m, tkSignFrom); err != nil {
		return ListKey{}, err
	}
	if _, present := m.int(tkSignTo); present {
		if k.SignTo, err = claimTime(m, tkSignTo); err != nil {
			return ListKey{}, err
		}
		if k.SignTo.IsZero() {
			return ListKey{}, errors.New("sign_to present but zero")
		}
	}
	if k.StatusAt, err = claimTime(m, tkStatusAt); err != nil {
		return ListKey{}, err
	}
	return k, nil
}

// claimTime reads Unix seconds; 0 is the zero time.
func claimTime(m cborMap, k int64) (time.Time, error) {
	n, err := claimUint(m, k)
	if err != nil {
		return time.Time{}, err
	}
	if n > 1<<40 {
		return time.Time{}, fmt.Errorf("field %d: time out of range", k)
	}
	if n == 0 {
		return time.Time{}, nil
	}
	return time.Unix(int64(n), 0).UTC(), nil
}

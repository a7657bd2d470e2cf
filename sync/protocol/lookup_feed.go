package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// TrustListPut is a trust_list put found on a verified change page. Its
// bytes are not trusted: the device checks them against its root keys.
type TrustListPut struct {
	Seq    int64  // change-log seq
	Ver    int64  // the list's seq as the platform states it
	Signed []byte // the signed trust list
}

// DecodePageTrustLists is DecodePage that also returns the trust_list
// puts, which DecodePage skips (and counts in Skipped) as a type it does
// not apply. Only a page that decoded and verified is scanned; a
// trust_list put whose d does not decode is left out.
func DecodePageTrustLists(r io.Reader, maxBytes int64) (*Page, []TrustListPut, error) {
	if maxBytes <= 0 {
		maxBytes = MaxPageBytes
	}
	body, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("protocol: read page: %w", err)
	}
	if int64(len(body)) > maxBytes {
		return nil, nil, malformed("page exceeds %d bytes", maxBytes)
	}
	p, err := decodePage(body)
	if err != nil {
		return nil, nil, err
	}
	var puts []TrustListPut
	for line := range bytes.Lines(body) {
		if !bytes.Contains(line, []byte(TypeTrustList)) {
			continue
		}
		var l Line
		if json.Unmarshal(line, &l) != nil || l.T != TypeTrustList || l.Op != OpPut {
			continue
		}
		if signed, err := ParseTrustListData(l.D); err == nil {
			puts = append(puts, TrustListPut{Seq: l.Seq, Ver: l.Ver, Signed: signed})
		}
	}
	return p, puts, nil
}

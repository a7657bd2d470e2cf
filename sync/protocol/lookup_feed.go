package protocol

import (
	"bytes"
	"encoding/json"
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
	body, err := ReadPage(r, maxBytes, nil) // page_read.go
	if err != nil {
		return nil, nil, err
	}
	return DecodePageTrustListsBytes(body, maxBytes)
}

// DecodePageTrustListsBytes is DecodePageTrustLists of a page already read
// whole; like DecodePageBytes, what it returns keeps no reference to body.
func DecodePageTrustListsBytes(body []byte, maxBytes int64) (*Page, []TrustListPut, error) {
	p, err := DecodePageBytes(body, maxBytes)
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

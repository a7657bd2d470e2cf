package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// The platform verifies reports and trust lists with app/report, the
// verifier the kiosks and creditctl use.
func init() { syncserver.RegisterTrustVerifier(reportVerifier{}) }

// reportVerifier implements syncserver.TrustVerifier with app/report.
type reportVerifier struct{}

func (reportVerifier) LoadTrustList(signed []byte, roots []ed25519.PublicKey, prevSeq uint64) (*syncserver.TrustListInfo, error) {
	tl, err := report.LoadTrustList(signed, roots, prevSeq)
	switch {
	case errors.Is(err, report.ErrTrustListSignature):
		return nil, fmt.Errorf("%w: %w", syncserver.ErrTrustListSignature, err)
	case errors.Is(err, report.ErrTrustListRollback):
		return nil, fmt.Errorf("%w: %w", syncserver.ErrTrustListRollback, err)
	case err != nil:
		return nil, err
	}
	return trustListInfo(tl), nil
}

func trustListInfo(tl *report.TrustList) *syncserver.TrustListInfo {
	info := &syncserver.TrustListInfo{Seq: tl.Seq, IssuedAt: tl.IssuedAt, NextUpdate: tl.NextUpdate, Root: tl.Root, NextRoot: tl.NextRoot,
		Revoked: len(tl.Revoked), Signed: tl.Raw, Loaded: tl}
	revoked := make(map[[16]byte]bool, len(tl.Revoked))
	for _, h := range tl.Revoked {
		revoked[h] = true
	}
	info.IsRevoked = func(no string) bool { return revoked[report.RevokedHash(no)] }
	for _, k := range tl.Keys {
		kid := k.KID()
		info.Keys = append(info.Keys, syncserver.TrustListKey{KID: hex.EncodeToString(kid[:]), Status: k.Status.String(),
			OfficeCode: k.OfficeCode, OfficeName: k.OfficeName})
	}
	return info
}

func (reportVerifier) VerifyReport(text string, list *syncserver.TrustListInfo, now time.Time) protocol.VerifyV1 {
	tl, _ := list.Loaded.(*report.TrustList)
	var keys report.KeySet
	if tl != nil {
		keys = tl.KeySet()
	}
	r := report.Verify(text, keys, now)
	v := protocol.VerifyV1{Status: string(r.Status), ExitCode: r.ExitCode, MessageZH: r.MessageZH, MessageEN: r.MessageEN,
		Detail: r.Detail, KID: r.KID, Office: r.Office, OfficeCode: r.OfficeCode,
		TrustListSeq: r.TrustListSeq, TrustListIssued: r.TrustListIssued, Code: r.Code}
	for _, w := range r.Warnings {
		v.Warnings = append(v.Warnings, w.Code)
	}
	if c := r.Claims; c != nil {
		iat, exp := c.IssuedAt, c.Expires
		v.ReportNo, v.ReportType, v.SubjectName, v.SubjectIDDisplay = c.ReportID, int(c.Type), c.SubjectName, c.SubjectIDDisplay
		v.IssuedAt, v.Expires, v.Pages = &iat, &exp, c.Pages
	}
	return v
}

package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// maxAuthRefRunes bounds an authorisation reference.
const maxAuthRefRunes = 64

// InquiryView is what an authorised inquiry shows the clerk.
type InquiryView struct {
	Subject  credit.Subject
	Records  []RecordGroup // one group per category, always all three
	DataAsOf time.Time
	Stale    bool
	Inquiry  credit.Inquiry // the log entry written for this look
}

// AuthorisedInquiry opens a subject's records for a logged-in clerk
// (Art. 23–25). The purpose must be one of credit.Art25Purposes; a natural
// person's records also need the reference of the holder's written
// authorisation, while a legal person's need only the purpose. The inquiry
// is logged (InquirerClerk, the clerk's staff number) before any data is
// read for the view; a subject the cache does not know is logged too and
// answered with ENOTFOUND.
func (o *Office) AuthorisedInquiry(ctx context.Context, cs *ClerkSession, subjectID, purpose, authRef string) (*InquiryView, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	id, kind, err := credit.ParseSubjectID(subjectID)
	if err != nil {
		return nil, err
	}
	p := credit.InquiryPurpose(purpose)
	if !p.Valid() {
		return nil, credit.Errorf(credit.EINVALID, "请选择查询用途（《条例》第二十五条所列事项）。", "Choose the purpose of the inquiry (one of the items of Art. 25).")
	}
	authRef = strings.TrimSpace(authRef)
	if utf8.RuneCountInString(authRef) > maxAuthRefRunes {
		return nil, credit.Errorf(credit.EINVALID, "授权书编号不能超过%d个字。", "The authorisation reference may not exceed %d characters.", maxAuthRefRunes)
	}

	subj, err := o.records.Subject(ctx, id)
	known := err == nil
	switch {
	case known && subj.ID != id:
		o.log.WarnContext(ctx, "subject lookup answered with another subject; treated as unknown", logKeySubject, subj)
		known = false
	case err != nil && credit.ErrorCode(err) != credit.ENOTFOUND:
		return nil, o.unavailable(ctx, "authorised inquiry: subject", err)
	}
	if !known {
		subj = credit.Subject{ID: id, Kind: kind}
	}
	if subj.Kind != kind {
		kind = credit.NaturalPerson // the stricter rule when the two disagree
	}

	q := credit.Inquiry{
		ID:           credit.NewUUID(),
		SubjectID:    id,
		InquirerKind: credit.InquirerClerk,
		InquirerID:   cs.Clerk.ID,
		Purpose:      string(p),
		AuthRef:      authRef,
		Channel:      o.deviceID,
		At:           o.now(),
	}
	if err := q.Validate(kind); err != nil {
		return nil, err
	}
	if err := o.inquiries.LogInquiry(ctx, q); err != nil {
		o.log.ErrorContext(ctx, "log inquiry", logKeySubject, subj, logKeyErr, err)
		return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "暂时无法登记本次查询，因此不显示信息，请稍后再试。", "This inquiry could not be logged, so no data is shown. Please try again later."), err)
	}
	cs.mu.Lock()
	cs.inquiry = &q // the purpose and authorisation a printed report reuses
	cs.mu.Unlock()
	o.log.InfoContext(ctx, "authorised inquiry", logKeyClerk, cs.Clerk.ID, logKeySubject, subj, logKeyPurpose, string(p))
	if !known {
		o.noteResult(ctx, q.ID, 0) // office_audit.go
		return nil, credit.Errorf(credit.ENOTFOUND, "本机未查到该主体的信用信息。", "No credit information about this subject was found on this computer.")
	}
	recs, err := o.records.RecordsOf(ctx, id)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return nil, o.unavailable(ctx, "authorised inquiry: records", err)
	}
	o.noteResult(ctx, q.ID, len(recs))
	asOf, err := o.records.DataAsOf(ctx)
	if err != nil {
		return nil, o.unavailable(ctx, "authorised inquiry: data as of", err)
	}
	stale := isStale(asOf, o.serverNow(), o.staleAfter)
	return &InquiryView{Subject: subj, Records: groupRecords(id, recs), DataAsOf: asOf, Stale: stale, Inquiry: q}, nil
}

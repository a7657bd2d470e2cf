package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// SearchLimit caps the results of a business search.
const SearchLimit = 50

// maxQueryRunes bounds a search query.
const maxQueryRunes = 100

// OrgView is a business's public records as anyone may see them.
type OrgView struct {
	Subject  credit.Subject
	Records  []RecordGroup
	DataAsOf time.Time
	Stale    bool
}

// errPersonNotPublic refuses a natural person's data through the public
// business search (Art. 23).
func errPersonNotPublic() *credit.Error {
	return credit.Errorf(credit.EUNAUTHORIZED, "自然人信用信息仅限本人持身份证查询。", "A natural person's records are shown only to the holder, with their ID card.")
}

// SearchOrganisations finds businesses and other organisations by a USCC
// or part of the name. Natural persons are never returned, whatever the
// port answers.
func (s *Service) SearchOrganisations(ctx context.Context, query string) ([]credit.Subject, error) {
	q := strings.TrimSpace(query)
	switch n := utf8.RuneCountInString(q); {
	case n == 0:
		return nil, credit.Errorf(credit.EINVALID, "请输入企业名称或统一社会信用代码。", "Enter part of a business name or its unified social credit code.")
	case n > maxQueryRunes:
		return nil, credit.Errorf(credit.EINVALID, "查询内容不能超过%d个字。", "The search may not exceed %d characters.", maxQueryRunes)
	}
	found, err := s.records.SearchOrganisations(ctx, q, SearchLimit)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return nil, s.internal(ctx, "search organisations", err)
	}
	out := make([]credit.Subject, 0, len(found))
	for _, subj := range found {
		if subj.Kind != credit.LegalPerson {
			s.log.WarnContext(ctx, "search returned a non-organisation; dropped", logKeySubject, subj)
			continue
		}
		out = append(out, subj)
	}
	s.log.InfoContext(ctx, "organisation search", logKeyQuery, utf8.RuneCountInString(q), "results", len(out))
	return out, nil
}

// OpenOrganisation returns the records of the organisation with this USCC
// and logs a public inquiry. A natural person is refused with EUNAUTHORIZED.
func (s *Service) OpenOrganisation(ctx context.Context, id string) (*OrgView, error) {
	code, err := credit.ParseUSCC(id)
	if err != nil {
		if _, kind, perr := credit.ParseSubjectID(id); perr == nil && kind == credit.NaturalPerson {
			return nil, errPersonNotPublic()
		}
		return nil, fmt.Errorf("open organisation: %w", err)
	}
	subj, err := s.records.Subject(ctx, string(code))
	switch {
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.ENOTFOUND, "未找到该企业。", "No such business was found."), err)
	case err != nil:
		return nil, s.internal(ctx, "open organisation", err)
	case subj.Kind != credit.LegalPerson:
		s.log.WarnContext(ctx, "organisation lookup returned a non-organisation; refused", logKeySubject, subj)
		return nil, errPersonNotPublic()
	}
	inquiry, err := s.logInquiry(ctx, subj, credit.InquirerPublic, credit.PurposePublic)
	if err != nil {
		return nil, err
	}
	recs, err := s.records.RecordsOf(ctx, subj.ID)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return nil, s.internal(ctx, "load organisation records", err)
	}
	view := groupRecords(subj.ID, recs)
	n := 0
	for _, g := range view {
		n += len(g.Records)
	}
	noteInquiryResult(ctx, s.log, s.inquiries, inquiry, n)
	asOf, err := s.records.DataAsOf(ctx)
	if err != nil {
		return nil, s.internal(ctx, "data as of", err)
	}
	return &OrgView{Subject: subj, Records: view, DataAsOf: asOf, Stale: s.stale(asOf)}, nil
}

package app

import (
	"context"
	"slices"

	credit "github.com/gansu-credit/credit"
)

// RemoteInquiries is what an InquiryLog may also offer: the inquiries into
// a subject made at OTHER terminals, brought back by sync (Art. 24, 25, 45:
// a citizen sees inquiries made at other terminals too). store.DB
// implements it. When the InquiryLog given to New does not, only this
// terminal's inquiries are shown.
type RemoteInquiries interface {
	RemoteInquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error)
}

// inquiriesOf returns every inquiry into subjectID this terminal knows of
// (AllInquiries over the service's log).
func (s *Service) inquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error) {
	return AllInquiries(ctx, s.inquiries, subjectID)
}

// AllInquiries returns every inquiry into subjectID a terminal knows of:
// its own log and, when log also implements RemoteInquiries, the entries
// from other terminals, newest first, each with its channel, one entry
// per id (Art. 24, 25, 45). Reports use it as the kiosk's screen does.
func AllInquiries(ctx context.Context, log InquiryLog, subjectID string) ([]credit.Inquiry, error) {
	local, err := log.InquiriesOf(ctx, subjectID)
	if err != nil {
		return nil, err
	}
	r, ok := log.(RemoteInquiries)
	if !ok {
		return local, nil
	}
	remote, err := r.RemoteInquiriesOf(ctx, subjectID)
	if err != nil {
		return nil, err
	}
	return mergeInquiries(local, remote), nil
}

// mergeInquiries merges two inquiry lists into one, newest first (ties keep
// their order, this terminal's first), keeping the first of entries
// sharing an id.
func mergeInquiries(local, remote []credit.Inquiry) []credit.Inquiry {
	out := make([]credit.Inquiry, 0, len(local)+len(remote))
	seen := make(map[string]bool, len(local)+len(remote))
	for _, q := range slices.Concat(local, remote) {
		if seen[q.ID] {
			continue
		}
		seen[q.ID] = true
		out = append(out, q)
	}
	slices.SortStableFunc(out, func(a, b credit.Inquiry) int { return b.At.Compare(a.At) })
	return out
}
